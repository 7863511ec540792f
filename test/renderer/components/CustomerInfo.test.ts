import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CustomerInfo from '../../../renderer/components/CustomerInfo.svelte';

const customer = { prefix: '198.51.100.0/24', customer: 'Lab Hosting', contact: 'noc@lab.example', notes: 'VPS range' };

describe('a customer beside an address', () => {
  it('in full: name, prefix, contact and notes; compact: the name, the rest in its title', () => {
    const full = render(CustomerInfo, { props: { customer } });
    expect(screen.getByTestId('customer').textContent!.replace(/\s+/g, ' ').trim()).toBe('Lab Hosting 198.51.100.0/24 noc@lab.example VPS range');
    full.unmount();
    render(CustomerInfo, { props: { customer: { prefix: '192.0.2.0/24', customer: 'Other' }, compact: true } });
    const c = screen.getByTestId('customer');
    expect([c.textContent!.trim(), c.getAttribute('title')]).toEqual(['Other', 'Other (192.0.2.0/24)']);
  });
});
