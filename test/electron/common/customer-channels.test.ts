import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../electron/common/contract';

describe('the customer channels\' schemas', () => {
  it('look up 1 to 500 addresses or networks, IPv4 and IPv6, nothing else', () => {
    expect(parseRequest('customers:lookup', { addresses: ['192.0.2.1', '2001:db8::1', '198.51.100.0/24'] }).ok).toBe(true);
    expect(parseRequest('customers:lookup', { addresses: Array.from({ length: 501 }, () => '192.0.2.1') }).ok).toBe(false);
    expect(parseRequest('customers:lookup', { addresses: [] }).ok).toBe(false);
    expect(parseRequest('customers:lookup', { addresses: ['192.0.2.1:80'] }).ok).toBe(false);
  });

  it('import a list with its file name, one line, no control characters', () => {
    expect(parseRequest('customers:import', { text: 'prefix,customer\n192.0.2.0/24,Lab\n', name: 'customers.csv' }).ok).toBe(true);
    const r = parseRequest('customers:import', { text: 'x', name: 'a\u0007.csv' });
    expect(r.ok ? '' : r.error.message).toMatch(/control characters/);
    expect(parseRequest('customers:info', { path: '/etc/passwd' }).ok).toBe(false);
  });
});
