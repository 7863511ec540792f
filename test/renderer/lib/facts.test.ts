import { describe, expect, it } from 'vitest';
import { factLabel, factRows, factValue } from '../../../renderer/lib/facts';
import { loadResult } from '../fake-api';

/** Real engine results (test/fixtures/results): every finding's facts as the panel shows them. */
const results = ['seed001-synflood-backscatter', 'seed001-nat-legit', 'seed003-udp770-compromise', 'seed001-backscatter-offset-1h'].map(loadResult);
const findings = results.flatMap((r) => r.findings);

describe('a finding\'s facts in words', () => {
  it('no camelCase key and no empty value reaches the panel, on every finding of the example results', () => {
    const rows = findings.flatMap((f) => factRows(f.facts, 1000));
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) {
      expect(r.label, r.key).not.toMatch(/[a-z][A-Z]/);
      expect(r.label, r.key).toMatch(/^[A-Z]/);
      expect(r.value.trim(), r.key).not.toBe('');
    }
    // The raw facts hold empty strings and lists; none is shown.
    const empties = findings.flatMap((f) => Object.entries(f.facts ?? {})).filter(([, v]) => v === '' || (Array.isArray(v) && !v.length));
    expect(empties.length).toBeGreaterThan(0);
    for (const [k] of empties) expect(findings.flatMap((f) => factRows(f.facts, 1000)).filter((r) => r.key === k && r.value === '')).toEqual([]);
  });

  it('labels read as words, abbreviations as written', () => {
    expect(factLabel('ratePerSecond')).toBe('Rate per second');
    expect(factLabel('tcpPackets')).toBe('TCP packets');
    expect(factLabel('synAcks')).toBe('SYN-ACKs');
    expect(factLabel('ttlDistinct')).toBe('Distinct TTLs');
    expect(factLabel('maxFailedPortsOneHost')).toBe('Max failed ports one host');
    // The unit goes with the value.
    expect(factLabel('medianIntervalSeconds')).toBe('Median interval');
  });

  it('values in words: times in UTC, shares in percent, seconds, yes/no, long lists cut', () => {
    expect(factValue('firstTs', 1768212000000000)).toBe('2026-01-12 10:00:00.000 UTC');
    expect(factValue('fingerprintShare', 100)).toBe('100%');
    expect(factValue('spanSeconds', 471.675)).toBe('471.675 s');
    expect(factValue('syns', 1716)).toBe('1,716');
    expect(factValue('wouldFire', false)).toBe('no');
    expect(factValue('alert', '')).toBeNull();
    expect(factValue('ports', [])).toBeNull();
    expect(factValue('ports', [1, 2, 3, 4, 5, 6, 7, 8])).toBe('1, 2, 3, 4, 5, 6 and 2 more');
    expect(factValue('byPort', { http: 3, other: '' })).toBe('HTTP 3');
  });
});
