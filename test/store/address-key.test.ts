import { describe, expect, it } from 'vitest';
import { addressKey, cidrKeyRange } from '../../store/address-key';

describe('address keys', () => {
  it('puts IPv4 and IPv6 addresses on one sortable line, CIDRs as ranges', () => {
    const r = cidrKeyRange('198.51.100.0/24')!;
    const inside = addressKey('198.51.100.77')!;
    expect(inside >= r.lo && inside <= r.hi).toBe(true);
    expect(addressKey('198.51.101.0')! > r.hi).toBe(true);
    expect(addressKey('::ffff:198.51.100.77')).toBe(inside);
    const v6 = cidrKeyRange('2001:db8::/32')!;
    expect(addressKey('2001:db8:ffff::1')! <= v6.hi && addressKey('2001:db8:ffff::1')! >= v6.lo).toBe(true);
    expect(cidrKeyRange('10.0.0.0/33')).toBeNull();
    expect(cidrKeyRange('not an address')).toBeNull();
    expect(cidrKeyRange('0.0.0.0/0')).toEqual({ lo: `${'0'.repeat(20)}ffff00000000`, hi: `${'0'.repeat(20)}ffffffffffff`, width: 2 ** 32 });
  });
});
