import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import { sniffFormat } from '../../../analysis/ingest/ingest';
import type { EvidenceReader } from '../../../analysis/ingest/reader';
import { checkPrefix, checkTruncation, recordSpans } from '../../helpers/fuzz-ingest';
import { mutate, mutation } from '../../helpers/fuzz-mutate';
import { fcParams, seedLabel } from '../../helpers/fuzz-seed';
import { fixturesDir } from '../../helpers/paths';

/**
 * The fuzz oracles must be able to fail: readers broken on purpose (nothing
 * at all, the last record lost, one field wrong) are run through the same
 * properties as the real ones in fuzz.test.ts, and each must be caught.
 */
type Breakage = (real: EvidenceReader) => EvidenceReader;

const broken: Array<[string, Breakage, { prefix: boolean; truncation: boolean }]> = [
  ['returns nothing', (real) => ({
    ...real,
    async read(source, ctx, sink) {
      const summary = await real.read(source, ctx, () => undefined);
      void sink;
      return { ...summary, records: 0 };
    },
  }), { prefix: true, truncation: true }],
  ['loses the last record of the file', (real) => ({
    ...real,
    async read(source, ctx, sink) {
      let held: NetEvent | undefined;
      const summary = await real.read(source, ctx, (e) => {
        if (held) sink(held);
        held = { ...e, payload: e.payload?.slice() };
      });
      return { ...summary, records: Math.max(0, summary.records - 1) };
    },
  }), { prefix: false, truncation: true }],
  ['gets the first record\'s destination port wrong', (real) => ({
    ...real,
    async read(source, ctx, sink) {
      let n = 0;
      return real.read(source, ctx, (e) => sink(++n === 1 ? { ...e, dport: (e.dport ?? 0) + 1 } : e));
    },
  }), { prefix: true, truncation: true }],
];

describe(`the ingest fuzz oracles catch broken readers, ${seedLabel()}`, () => {
  for (const name of ['netfilter/psad-syn.log', 'pcap/syn-scan-le.pcap', 'tcpdump-text/verbose-udp.txt']) {
    const bytes = new Uint8Array(readFileSync(join(fixturesDir, name)));
    const real = sniffFormat(bytes)!;
    for (const [why, breakIt, catches] of broken) {
      it(`${name}: a reader that ${why}`, async () => {
        const bad = breakIt(real);
        // The truth comes from the real reader, as in the fuzz suite.
        const spans = await recordSpans(real, bytes, 'fuzzed');
        expect(spans.length).toBeGreaterThanOrEqual(3);
        const prefix = await fc.check(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5000 }), async (ms, chunk) => {
          await checkPrefix(bad, bytes, spans, mutate(bytes, ms), chunk, 'fuzzed');
        }), { ...fcParams(50), endOnFailure: true });
        const truncation = await fc.check(fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), fc.integer({ min: 1, max: 5000 }), async (n, chunk) => {
          await checkTruncation(bad, bytes, spans, n, chunk, 'fuzzed');
        }), { ...fcParams(50), endOnFailure: true, examples: [[bytes.length, 4096]] });
        if (catches.prefix) expect(prefix.failed, 'prefix property').toBe(true);
        if (catches.truncation) expect(truncation.failed, 'truncation property').toBe(true);
      });
    }
  }
});
