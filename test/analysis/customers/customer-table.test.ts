import { describe, expect, it } from 'vitest';
import { CustomerTable, parsePrefix } from '../../../analysis/customers/customer-table';

describe('CustomerTable', () => {
  const table = new CustomerTable();
  table.add({ prefix: '198.51.100.0/24', customer: 'Reseller Ltd' });
  table.add({ prefix: '198.51.100.8/29', customer: 'Shop of the reseller', contact: 'noc@shop.example' });
  table.add({ prefix: '198.51.100.10', customer: 'One server' });
  table.add({ prefix: '2001:db8::/32', customer: 'IPv6 block' });
  table.add({ prefix: '2001:db8:1::/48', customer: 'IPv6 customer' });

  it('answers with the longest prefix that holds the address', () => {
    expect(table.lookup('198.51.100.10')?.customer).toBe('One server');
    expect(table.lookup('198.51.100.9')?.customer).toBe('Shop of the reseller');
    expect(table.lookup('198.51.100.15')?.customer).toBe('Shop of the reseller');
    expect(table.lookup('198.51.100.16')?.customer).toBe('Reseller Ltd');
    expect(table.lookup('198.51.101.1')).toBeNull();
    expect(table.lookup('2001:db8:1::5')?.customer).toBe('IPv6 customer');
    expect(table.lookup('2001:db8:2::5')?.customer).toBe('IPv6 block');
    expect(table.lookup('::ffff:198.51.100.9')?.customer).toBe('Shop of the reseller');
    expect(table.lookup('not an address')).toBeNull();
  });

  it('normalises prefixes, counts each once, and a later entry for a prefix replaces the earlier', () => {
    const t = new CustomerTable();
    expect(t.add({ prefix: '203.0.113.77/24', customer: 'A' })).toBe(true);
    expect(t.add({ prefix: '203.0.113.0/24', customer: 'B' })).toBe(true);
    expect(t.size).toBe(1);
    expect(t.lookup('203.0.113.1')).toEqual({ prefix: '203.0.113.0/24', customer: 'B' });
    for (const bad of ['203.0.113.0/33', '10.1/8', 'x', '2001:db8::/129', '203.0.113.0/-1']) expect(t.add({ prefix: bad, customer: 'C' }), bad).toBe(false);
  });

  it('parses a mapped IPv6 prefix as the IPv4 one', () => {
    expect(parsePrefix('::ffff:198.51.100.0/120')?.text).toBe('198.51.100.0/24');
  });

  it('matches a brute-force scan over every prefix on a random table', () => {
    const t = new CustomerTable();
    const rng = (() => { let s = 7; return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31; })();
    const prefixes: Array<{ net: number; len: number; name: string }> = [];
    for (let i = 0; i < 300; i++) {
      const len = 8 + Math.floor(rng() * 25);
      const addr = Math.floor(rng() * 2 ** 32) >>> 0;
      const net = len === 0 ? 0 : (addr & (~0 << (32 - len))) >>> 0;
      const text = `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${len}`;
      prefixes.push({ net, len, name: `c${i}` });
      t.add({ prefix: text, customer: `c${i}` });
    }
    for (let i = 0; i < 2000; i++) {
      const p = prefixes[Math.floor(rng() * prefixes.length)];
      const addr = (p.net | Math.floor(rng() * 2 ** (32 - p.len))) >>> 0;
      const text = `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
      // The expected answer: the longest prefix holding it, the last added among equal prefixes.
      let best: { len: number; name: string } | null = null;
      for (const q of prefixes) {
        const mask = q.len === 0 ? 0 : (~0 << (32 - q.len)) >>> 0;
        if (((addr & mask) >>> 0) === q.net && (!best || q.len >= best.len)) best = q;
      }
      expect(t.lookup(text)?.customer).toBe(best?.name);
    }
  });
});
