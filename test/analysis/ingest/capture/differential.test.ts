import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../../analysis/events/event';
import { readEvidenceFile } from '../../../../cli/io/read-file';
import { corpusDir, filesIn, fixturesDir, casesDir } from '../../../helpers/paths';
import { hasTshark, tsharkPackets } from '../../../helpers/tshark';

/**
 * Differential test: for every capture we have, our packet count, time span,
 * per-packet outer addresses and ports, and per-conversation packet counts
 * equal what tshark reports for the same file.
 */
const captures = [
  ...filesIn(corpusDir, /\.(pcap|pcapng|cap)$/),
  ...filesIn(casesDir, /\.(pcap|pcapng)$/),
  ...filesIn(fixturesDir, /\.(pcap|pcapng)$/).filter((f) => !/(truncated|corrupt)/.test(f)),
];

function convKey(src?: string, dst?: string, sport?: number, dport?: number): string | undefined {
  if (!src || !dst || sport === undefined || dport === undefined) return undefined;
  const a = `${src}|${sport}`;
  const b = `${dst}|${dport}`;
  return a < b ? `${a}/${b}` : `${b}/${a}`;
}

function countBy(keys: Array<string | undefined>): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) if (k) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

describe('capture reading agrees with tshark', () => {
  it('has tshark installed (.ci/run installs it)', () => {
    expect(hasTshark(), 'tshark is missing: apt-get install tshark').toBe(true);
  });
  it('finds the corpus captures', () => {
    expect(captures.length).toBeGreaterThan(50);
  });

  for (const file of captures) {
    it(basename(file), async () => {
      const ours: NetEvent[] = [];
      const { summary } = await readEvidenceFile(file, { onEvent: (ev) => ours.push({ ...ev, payload: undefined }) });
      const theirs = tsharkPackets(file);
      expect(summary.records).toBe(theirs.length);
      expect(ours.length).toBe(theirs.length);
      const timed = theirs.filter((p) => p.ts !== undefined).map((p) => p.ts!);
      if (timed.length > 0) {
        expect(summary.firstTs).toBe(Math.min(...timed));
        expect(summary.lastTs).toBe(Math.max(...timed));
      }
      const mismatches: string[] = [];
      for (let i = 0; i < theirs.length; i++) {
        const t = theirs[i];
        const o = ours[i];
        if (o.source.packet !== t.number || (t.ts !== undefined && o.ts !== t.ts) || o.src !== t.src || o.dst !== t.dst || o.sport !== t.sport || o.dport !== t.dport) {
          mismatches.push(`#${t.number}: tshark ${t.src}:${t.sport} > ${t.dst}:${t.dport} @${t.ts}, ours ${o.src}:${o.sport} > ${o.dst}:${o.dport} @${o.ts}`);
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      const ourConvs = countBy(ours.map((e) => convKey(e.src, e.dst, e.sport, e.dport)));
      const theirConvs = countBy(theirs.map((p) => convKey(p.src, p.dst, p.sport, p.dport)));
      expect(ourConvs).toEqual(theirConvs);
    });
  }
});
