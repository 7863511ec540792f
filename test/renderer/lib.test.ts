import { describe, expect, it } from 'vitest';
import { evidenceWhere, excerptBody, formatBytes, formatOffset, formatSpan, formatUtc } from '../../renderer/lib/format';
import { buildTimeline, classifyExcerpt, describeTimeline, timeTicks } from '../../renderer/lib/timeline';
import { loadResult } from './fake-api';

describe('format', () => {
  it('shows microsecond times in UTC', () => {
    expect(formatUtc(1766018400123456)).toBe('2025-12-18 00:40:00.123');
    expect(formatUtc(undefined)).toBe('—');
    expect(formatSpan(1766018400000000, 1766018462955034)).toBe('2025-12-18 00:40:00 – 00:41:02 UTC');
  });
  it('formats sizes, offsets and evidence positions', () => {
    expect(formatBytes(501096)).toBe('489 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
    expect(formatOffset(3600)).toBe('+1 h');
    expect(formatOffset(-1800)).toBe('−30 min');
    expect(formatOffset(-5)).toBe('−5 s');
    expect(evidenceWhere({ file: 'a.pcap', packet: 12, offset: 9 })).toBe('a.pcap #12');
    expect(evidenceWhere({ file: 'fw.log', line: 3, offset: 9 })).toBe('fw.log line 3');
    expect(excerptBody('2025-12-18 00:40:00.000000 1.2.3.4:1 > 5.6.7.8:2 tcp [S] SYN')).toBe('1.2.3.4:1 > 5.6.7.8:2 tcp [S] SYN');
  });
});

describe('timeline', () => {
  it('reads direction and flags back from excerpts', () => {
    const acc = ['198.51.100.80'];
    expect(classifyExcerpt('2025-12-18 00:40:00.000000 39.202.24.19:54847 > 198.51.100.80:80 tcp [S] SYN, len 0', acc)).toEqual({ direction: 'in', kind: 'syn' });
    expect(classifyExcerpt('2025-12-18 00:40:00.000000 198.51.100.80:80 > 192.0.2.66:1 tcp [S.] SYN-ACK, len 0', acc)).toEqual({ direction: 'out', kind: 'synack' });
    expect(classifyExcerpt('2025-12-18 00:40:00.000000 198.51.100.80:80 > 192.0.2.66:1 tcp [R.] RST-ACK', acc).kind).toBe('rst');
    expect(classifyExcerpt('2025-12-18 00:40:00.000000 [2001:db8::1]:80 > [2001:db8::2]:5 tcp [.] ACK', ['2001:db8::1'])).toEqual({ direction: 'out', kind: 'ack' });
    expect(classifyExcerpt('2026-01-12 10:00:00.000000 198.51.100.90:770 > 198.51.100.255:36785 udp len 28', ['198.51.100.90'])).toEqual({ direction: 'out', kind: 'udp' });
  });

  it('builds points, complaint marks and a domain from a real result', () => {
    const t = buildTimeline(loadResult('seed001-synflood-backscatter'));
    expect(t.points.length).toBeGreaterThan(10);
    expect(t.points.some((p) => p.direction === 'in' && p.kind === 'syn')).toBe(true);
    expect(t.points.some((p) => p.direction === 'out' && p.kind === 'synack')).toBe(true);
    // Deduplicated across findings and sorted by time.
    const keys = t.points.map((p) => p.where);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...t.points].sort((a, b) => a.ts - b.ts)).toEqual(t.points);
    expect(t.complaint).toHaveLength(1);
    expect(t.domain[0]).toBeLessThan(t.points[0].ts);
    expect(describeTimeline(t)).toMatch(/quoted evidence records/);
  });

  it('places the complaint time on our clock when there is an offset', () => {
    const t = buildTimeline(loadResult('seed001-backscatter-offset-1h'));
    expect(t.offsetSeconds).toBe(3600);
    expect(t.complaint[0].written - t.complaint[0].adjusted).toBe(3600e6);
    expect(describeTimeline(t)).toMatch(/1 h offset/);
  });

  it('picks round ticks', () => {
    const ticks = timeTicks([0, 3600e6], 6);
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.length).toBeLessThanOrEqual(7);
    for (const t of ticks) expect(t % 60e6).toBe(0);
  });
});
