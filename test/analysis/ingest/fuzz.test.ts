import { closeSync, openSync, readFileSync, rmSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import { ingest } from '../../../analysis/ingest/ingest';
import { readEvidenceFile } from '../../../cli/io/read-file';
import { filesIn, fixturesDir } from '../../helpers/paths';

/**
 * Untrusted input discipline (file-type): every fixture format, mutated by
 * truncation, bit flips and absurd length fields, must come back as a
 * summary with diagnostics that point inside the file: never an exception,
 * never a hang.
 */
const fixtures = filesIn(fixturesDir, /\.(pcap|pcapng|log|txt)$/).filter((f) => !f.includes('/complaints/') && !f.includes('/results/'));

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'length'; at: number; value: number }
  | { kind: 'junk'; at: number; bytes: number[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('length' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 11, 0xffff, 0x7fffffff, 0xffffffff, 0x10000000) }),
  fc.record({ kind: fc.constant('junk' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }) }),
);

function mutate(data: Uint8Array, ms: Mutation[]): Uint8Array {
  let out = data.slice();
  for (const m of ms) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'flip') out[at] ^= 1 << m.bit;
    else if (m.kind === 'length') {
      // Length fields sit at 4-byte boundaries in pcap and pcapng.
      const p = at & ~3;
      if (p + 4 <= out.length) new DataView(out.buffer).setUint32(p, m.value, (m.at & 1) === 0);
    } else {
      const junk = Uint8Array.from(m.bytes);
      const next = new Uint8Array(out.length + junk.length);
      next.set(out.subarray(0, at));
      next.set(junk, at);
      next.set(out.subarray(at), at + junk.length);
      out = next;
    }
  }
  return out;
}

async function* chunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('fuzzing every fixture format', () => {
  it('has fixtures of every format to mutate', () => {
    const exts = new Set(fixtures.map((f) => f.split('/').slice(-2)[0]));
    for (const dir of ['pcap', 'pcapng', 'argus', 'netfilter', 'snort', 'scanlogd', 'tcpdump-text', 'fail2ban']) expect(exts).toContain(dir);
  });

  for (const file of fixtures) {
    it(`survives mutations of ${file.split('/').slice(-2).join('/')}`, async () => {
      const original = new Uint8Array(readFileSync(file));
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5000 }), async (ms, chunk) => {
          const data = mutate(original, ms);
          const diag = new Diagnostics();
          let events = 0;
          const summary = await ingest(chunks(data, chunk), { file: 'fuzzed', diag }, () => { events++; });
          expect(summary.records).toBe(events);
          for (const w of diag.weirds) {
            expect(w.file).toBe('fuzzed');
            if (w.offset !== undefined) expect(w.offset).toBeLessThanOrEqual(data.length);
          }
        }),
        { numRuns: 120, seed: 20261122 },
      );
    });
  }

  it('turns away a 4 GB file of junk at once, naming the file', async () => {
    const path = join(tmpdir(), `abuse-desk-4g-${process.pid}.bin`);
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 4 * 1024 ** 3);
    closeSync(fd);
    try {
      const t = Date.now();
      const { summary, diag } = await readEvidenceFile(path);
      expect(Date.now() - t).toBeLessThan(5000);
      expect(summary.format).toBe('unknown');
      expect(diag.messages()[0]).toMatch(/abuse-desk-4g-\d+\.bin: byte offset 0: not a format we read/);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
