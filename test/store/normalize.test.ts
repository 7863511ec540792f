import { describe, expect, it } from 'vitest';
import { addressKey, cidrKeyRange } from '../../store/address-key';
import { complaintFingerprint, normalizeComplaintText } from '../../store/fingerprint';
import { ftsQuery } from '../../store/search';

describe('complaint fingerprint', () => {
  it('ignores case, whitespace, quote markers and the headers that vary between deliveries', () => {
    const a = 'Received: from mx1 by mx2;\n\tTue, 1 Dec 2025\nMessage-ID: <1@x>\nDate: Tue, 1 Dec 2025 10:00:00 +0000\nSubject: Scan\n\nYour host   198.51.100.10 SCANNED us.\n';
    const b = 'Message-ID: <2@y>\r\nDate: Wed, 2 Dec 2025 11:00:00 +0000\r\nSubject: scan\r\n\r\n> Your host 198.51.100.10\r\n> scanned us.';
    expect(normalizeComplaintText(a)).toBe('subject: scan your host 198.51.100.10 scanned us.');
    expect(complaintFingerprint(a)).toBe(complaintFingerprint(b));
    expect(complaintFingerprint(a)).not.toBe(complaintFingerprint(a.replace('198.51.100.10', '198.51.100.11')));
  });
});

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

describe('ftsQuery', () => {
  it('quotes every user word so FTS syntax is plain text', () => {
    expect(ftsQuery('scan')).toBe('"scan"*');
    expect(ftsQuery('198.51.100.10 "syn flood"')).toBe('"198.51.100.10" AND "syn flood"');
    expect(ftsQuery('a"b OR NEAR(x')).toBe('"a""b" AND "OR" AND "NEAR(x"');
    expect(ftsQuery('*** ( ) -')).toBeNull();
  });
});

describe('filterSql', () => {
  it('collects few accused cases from the address index and walks the cases for many', async () => {
    const { filterSql } = await import('../../store/search');
    expect(filterSql({ accused: '198.51.100.0/24' }).where[0]).toMatch(/^c\.id IN \(SELECT case_id FROM case_addresses/);
    expect(filterSql({ accused: '198.51.100.0/24' }, { manyAccused: true }).where[0]).toMatch(/^EXISTS \(SELECT 1 FROM case_addresses a WHERE a\.case_id = c\.id/);
    expect(filterSql({ reporterDomain: 'Example.NET' }).params).toEqual(['net.example', 'net.example.', 'net.example/']);
  });
});
