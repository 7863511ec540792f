import { describe, expect, it } from 'vitest';
import { CustomerCache } from '../../../renderer/lib/customers.svelte';
import { FakeApi } from '../fake-api';

function fakeWithCustomers() {
  const fake = new FakeApi();
  const lab = { prefix: '198.51.100.0/24', customer: 'Lab' };
  fake.handlers['customers:lookup'] = (r) => ({ ok: true, value: Object.fromEntries((r as { addresses: string[] }).addresses.map((a) => [a, a.startsWith('198.51.100.') ? lab : null])) });
  fake.handlers['customers:info'] = () => ({ ok: true, value: { count: 1, source: 'customers.csv', importedAt: 5 } });
  fake.handlers['customers:import'] = () => ({ ok: true, value: { imported: true, skipped: 0, problems: [], count: 2, source: 'new.csv', importedAt: 9 } });
  return { fake, lab };
}

describe('customers known to the window', () => {
  it('asks only for addresses not known yet, once each, and remembers those no prefix holds', async () => {
    const { fake, lab } = fakeWithCustomers();
    const c = new CustomerCache(fake.api);
    expect(c.of('198.51.100.7')).toBeUndefined();
    await c.lookup(['198.51.100.7', '198.51.100.7', '192.0.2.1', 'not an address']);
    expect(fake.callsTo('customers:lookup')).toEqual([{ addresses: ['198.51.100.7', '192.0.2.1'] }]);
    expect([c.of('198.51.100.7'), c.of('192.0.2.1')]).toEqual([lab, null]);
    await c.lookup(['198.51.100.7', '192.0.2.1']);
    expect(fake.callsTo('customers:lookup')).toHaveLength(1);
  });

  it('asks in batches of at most 500; a new list forgets what was known', async () => {
    const { fake } = fakeWithCustomers();
    const c = new CustomerCache(fake.api);
    await c.lookup(Array.from({ length: 1200 }, (_, i) => `10.0.${i >> 8}.${i & 255}`));
    expect(fake.callsTo('customers:lookup').map((r) => (r as { addresses: string[] }).addresses.length)).toEqual([500, 500, 200]);
    expect(await c.loadInfo()).toEqual({ count: 1, source: 'customers.csv', importedAt: 5 });
    await c.import('prefix,customer\n', 'new.csv');
    expect([c.known, c.info]).toEqual([{}, { count: 2, source: 'new.csv', importedAt: 9 }]);
  });

  it('a host without a customer list shows nothing, and says no info', async () => {
    const c = new CustomerCache(new FakeApi().api);
    await c.lookup(['198.51.100.7']);
    expect(c.of('198.51.100.7')).toBeUndefined();
    expect(await c.loadInfo()).toBeNull();
  });
});
