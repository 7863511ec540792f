import { describe, expect, it } from 'vitest';
import { readCustomers } from '../../../analysis/customers/read-customers';

describe('readCustomers', () => {
  it('reads CSV with a header, quoted fields and comma-bearing notes, skipping bad rows by line', () => {
    const csv = [
      'Prefix,Customer,Contact,Notes',
      '198.51.100.0/24,Reseller Ltd,noc@reseller.example,"racks 4-6, hall B"',
      '198.51.100.8/29,"Shop ""Blue"" GmbH",abuse@shop.example,',
      'not-a-prefix,Nobody,,',
      ',No prefix,,',
      '2001:db8::/32,"Multi',
      'line name",,',
    ].join('\r\n');
    const r = readCustomers(csv, 'customers.csv');
    expect(r.read).toBe(3);
    expect(r.table.lookup('198.51.100.9')).toEqual({ prefix: '198.51.100.8/29', customer: 'Shop "Blue" GmbH', contact: 'abuse@shop.example' });
    expect(r.table.lookup('198.51.100.20')?.notes).toBe('racks 4-6, hall B');
    expect(r.table.lookup('2001:db8::1')?.customer).toBe('Multi line name');
    expect(r.problems).toEqual([
      'customers.csv line 4: "not-a-prefix" is not an address or CIDR prefix',
      'customers.csv line 5: no prefix',
    ]);
  });

  it('reads JSON arrays and names the bad entries by index', () => {
    const r = readCustomers(JSON.stringify([
      { prefix: '203.0.113.0/24', customer: 'Example', contact: 'a@example.org' },
      { cidr: '192.0.2.0/25', name: 'Lab' },
      { prefix: '192.0.2.0/25' },
      7,
    ]), 'customers.json');
    expect(r.read).toBe(2);
    expect(r.table.lookup('192.0.2.3')?.customer).toBe('Lab');
    expect(r.problems).toEqual(['customers.json entry 3: no customer', 'customers.json entry 4: not an object']);
  });

  it('refuses a header without prefix and customer columns, and broken JSON, saying why', () => {
    expect(readCustomers('a,b\n1,2', 'x.csv').problems[0]).toMatch(/x\.csv line 1: the header must name a prefix and a customer column/);
    expect(readCustomers('[{', 'x.json').problems[0]).toMatch(/x\.json: not valid JSON/);
  });

  it('strips control and bidi characters from names', () => {
    const r = readCustomers('prefix,customer\n198.51.100.0/24,"Evil\u001b[2J\u202eCorp"', 'c.csv');
    expect(r.table.lookup('198.51.100.1')?.customer).toBe('EvilCorp');
  });
});
