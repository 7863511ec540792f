import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffFormat, SNIFF_BYTES } from '../../../analysis/ingest/ingest';
import type { EvidenceReader } from '../../../analysis/ingest/reader';
import { checkIngestAgrees, checkPrefix, checkTruncation, recordSpans, type Spanned } from '../../helpers/fuzz-ingest';
import { mutate, mutation } from '../../helpers/fuzz-mutate';
import { fcParams, seedLabel } from '../../helpers/fuzz-seed';
import { filesIn, fixturesDir } from '../../helpers/paths';

/**
 * The ingest fuzz properties over every evidence fixture (see
 * test/helpers/fuzz-ingest.ts for what they assert and why). The unit tier
 * and the slow tier run this same suite with different run counts.
 */
const evidence = filesIn(fixturesDir, /\.(pcap|pcapng|log|txt)$/).filter((f) => !f.includes('/complaints/') && !f.includes('/results/'));

interface Seed {
  name: string;
  bytes: Uint8Array;
  reader: EvidenceReader;
}

/** Fixtures with the reader the sniffer gives them; files it does not recognise are not evidence of any format. */
function seeds(): { recognised: Seed[]; unrecognised: string[] } {
  const recognised: Seed[] = [];
  const unrecognised: string[] = [];
  for (const f of evidence) {
    const bytes = new Uint8Array(readFileSync(f));
    const name = f.split('/').slice(-2).join('/');
    const reader = sniffFormat(bytes.subarray(0, SNIFF_BYTES));
    if (reader) recognised.push({ name, bytes, reader });
    else unrecognised.push(name);
  }
  return { recognised, unrecognised };
}

export function ingestFuzzSuite(runs: number): void {
  const { recognised, unrecognised } = seeds();
  console.info(`ingest fuzz: ${seedLabel()}, ${runs} runs per property and fixture`);

  describe(`ingest fuzz, ${seedLabel()}`, () => {
    it('has fixtures of every format to mutate', () => {
      const formats = new Set(recognised.map((s) => s.reader.format));
      for (const f of ['pcap', 'pcapng', 'argus', 'netfilter', 'snort', 'scanlogd', 'tcpdump-text', 'fail2ban', 'zeek-conn']) expect(formats).toContain(f);
      // Files no reader claims are not evidence (an inventory list); they are named so a new one is noticed.
      expect(unrecognised).toEqual(['triage/inventory.txt']);
    });

    for (const s of recognised) {
      describe(`${s.name} (${s.reader.format})`, () => {
        let spans: Spanned[] | undefined;
        const spansOf = async (): Promise<Spanned[]> => (spans ??= await recordSpans(s.reader, s.bytes, 'fuzzed'));

        it('has records to lose', async () => {
          // Without records the properties below would hold for a reader that returns nothing.
          expect((await spansOf()).length).toBeGreaterThan(0);
        });

        it('keeps every record before the first fault of a mutated copy', async () => {
          const original = await spansOf();
          await fc.assert(
            fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 70_000 }), async (ms, chunk, chunk2) => {
              const data = mutate(s.bytes, ms);
              const direct = await checkPrefix(s.reader, s.bytes, original, data, chunk, 'fuzzed');
              await checkIngestAgrees(s.reader, data, direct, chunk2, 'fuzzed');
            }),
            fcParams(runs),
          );
        });

        it('reads exactly the complete records of a copy cut at any offset', async () => {
          const original = await spansOf();
          await fc.assert(
            fc.asyncProperty(fc.integer({ min: 0, max: s.bytes.length }), fc.integer({ min: 1, max: 5000 }), async (n, chunk) => {
              await checkTruncation(s.reader, s.bytes, original, n, chunk, 'fuzzed');
            }),
            // Every record boundary +-1 as well: random cuts rarely land exactly on one.
            { ...fcParams(runs), examples: boundaryCuts(original, s.bytes.length, runs) },
          );
        });
      });
    }
  });
}

/** Cuts at and one byte either side of record starts and ends, where off-by-one bugs live (of the first runs/4 records). */
function boundaryCuts(spans: Spanned[], length: number, runs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const s of spans.slice(0, Math.ceil(runs / 4))) {
    for (const n of [s.start, s.start + 1, s.end - 1, s.end, s.end + 1]) if (n >= 0 && n <= length) out.push([n, 1 + ((n * 7) % 4096)]);
  }
  return out;
}

