import { expect } from 'vitest';
import { Diagnostics } from '../../analysis/events/diagnostics';
import type { NetEvent } from '../../analysis/events/event';
import { ingest } from '../../analysis/ingest/ingest';
import type { EvidenceReader, ReadSummary, TimeReference } from '../../analysis/ingest/reader';
import { chunks, firstDifference } from './fuzz-mutate';

/**
 * The oracles of the ingest fuzz tests.
 *
 * A record's span. Each record of the unmutated file gets a byte range
 * [start, end): `start` is its `source.offset` (pcap record header, pcapng
 * block, first line of a text record); `end` is how many bytes the reader had
 * been given when it emitted the record while the file was fed to it one byte
 * at a time. So `end` is where the record's last byte lies as the reader
 * itself sees it, without this test re-implementing any format:
 * - pcap: record header + captured bytes; pcapng: the whole block, trailer included;
 * - text: the line's bytes and its "\n"; for a record spread over lines
 *   (tcpdump -v, Snort alert-full, argus wrapped), the line that completes it;
 * - a record the reader emits only at the end of input (a last line without
 *   "\n") gets `end = length + 1`: it depended on there being no more bytes.
 *
 * Prefix property. Let m be the first byte at which the mutated file differs
 * from the original (its length after a pure truncation). Every original
 * record with end <= m lies wholly before the first fault and so does every
 * byte it depends on (file header, interface block, column header, earlier
 * lines all precede it). The mutated file's first records must be exactly
 * those, field for field, in order: a reader that drops, alters or invents
 * records before the fault fails.
 *
 * Truncation property. The file cut at N yields exactly the original records
 * with end <= N (all of them when N is the whole file). A text file cut inside
 * a line ends with a line that has no "\n": the reader reads that line too
 * (a log need not end with a newline), so at most one more record may follow,
 * which must come after the expected ones and lie before N. When N falls
 * inside a record (start < N < end), a diagnostic must name the file and an
 * offset inside that record: for captures exactly the record's start, for
 * text the record's first line or the cut line.
 */

/** Fixed so that year-less log times resolve the same way on every run. */
export const FUZZ_REFERENCE: TimeReference = { nearMs: Date.UTC(2024, 0, 15, 12), zone: 'UTC' };

/** An event as plain comparable data: payload bytes as hex (readers hand out views valid only in the callback), no undefined keys. */
export type Snapshot = Record<string, unknown>;

export function snapshot(ev: NetEvent): Snapshot {
  const out: Snapshot = {};
  for (const [k, v] of Object.entries(ev)) {
    if (v === undefined) continue;
    out[k] = v instanceof Uint8Array ? Buffer.from(v).toString('hex') : structuredClone(v);
  }
  return out;
}

export interface Spanned {
  ev: Snapshot;
  start: number;
  end: number;
}

export interface ReadResult {
  events: Snapshot[];
  summary: ReadSummary;
  diag: Diagnostics;
}

export const isCapture = (reader: EvidenceReader): boolean => reader.format === 'pcap' || reader.format === 'pcapng';

/** Read `data` with one reader (no sniffing), in chunks of `chunk` bytes. */
export async function readWith(reader: EvidenceReader, data: Uint8Array, chunk: number, file: string): Promise<ReadResult> {
  const diag = new Diagnostics();
  const events: Snapshot[] = [];
  const summary = await reader.read(chunks(data, chunk), { file, diag, reference: FUZZ_REFERENCE }, (e) => events.push(snapshot(e)));
  return { events, summary, diag };
}

/** The original file's records with their spans (see above). */
export async function recordSpans(reader: EvidenceReader, data: Uint8Array, file: string): Promise<Spanned[]> {
  let given = 0;
  let exhausted = false;
  async function* bytewise(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < data.length; i++) {
      given = i + 1;
      yield data.subarray(i, i + 1);
    }
    exhausted = true;
  }
  const out: Spanned[] = [];
  await reader.read(bytewise(), { file, diag: new Diagnostics(), reference: FUZZ_REFERENCE }, (e) => {
    out.push({ ev: snapshot(e), start: e.source.offset, end: exhausted ? data.length + 1 : given });
  });
  return out;
}

/** What holds for any input: counts agree, every record and diagnostic points into the file. */
export function checkSane(r: ReadResult, data: Uint8Array, file: string): void {
  expect(r.summary.records).toBe(r.events.length);
  for (const ev of r.events) {
    const source = ev.source as NetEvent['source'];
    expect(source.file).toBe(file);
    expect(source.offset).toBeGreaterThanOrEqual(0);
    expect(source.offset).toBeLessThan(data.length);
  }
  for (const w of r.diag.weirds) {
    expect(w.file).toBe(file);
    if (w.offset !== undefined) expect(w.offset).toBeLessThanOrEqual(data.length);
  }
}

/** Prefix property for one mutated file; returns the mutated read for further checks. */
export async function checkPrefix(
  reader: EvidenceReader, original: Uint8Array, spans: Spanned[], mutated: Uint8Array, chunk: number, file: string,
): Promise<ReadResult> {
  const m = firstDifference(original, mutated);
  const before = spans.filter((s) => s.end <= m);
  const got = await readWith(reader, mutated, chunk, file);
  checkSane(got, mutated, file);
  expect(got.events.slice(0, before.length), `records wholly before the first fault at byte ${m}`).toEqual(before.map((s) => s.ev));
  return got;
}

/**
 * The same mutated bytes through `ingest` (sniffing, peeking, a different
 * chunking): never throws, and when it picks the original's reader it yields
 * the same records and diagnostics as that reader did.
 */
export async function checkIngestAgrees(reader: EvidenceReader, mutated: Uint8Array, direct: ReadResult, chunk: number, file: string): Promise<void> {
  const diag = new Diagnostics();
  const events: Snapshot[] = [];
  const summary = await ingest(chunks(mutated, chunk), { file, diag, reference: FUZZ_REFERENCE }, (e) => events.push(snapshot(e)));
  checkSane({ events, summary, diag }, mutated, file);
  if (summary.format === reader.format) {
    expect(events, 'ingest and the reader itself disagree').toEqual(direct.events);
    expect(diag.weirds).toEqual(direct.diag.weirds);
  } else {
    // Another reader (or none) claimed the damaged head: it must still account for the file.
    expect(summary.format === 'unknown' ? summary.error : summary.format).toBeTruthy();
  }
}

/** Truncation property for the original cut at `n` bytes. */
export async function checkTruncation(
  reader: EvidenceReader, original: Uint8Array, spans: Spanned[], n: number, chunk: number, file: string,
): Promise<void> {
  const cut = original.subarray(0, n);
  const got = await readWith(reader, cut, chunk, file);
  checkSane(got, cut, file);
  const whole = n === original.length;
  const expected = whole ? spans : spans.filter((s) => s.end <= n);
  expect(got.events.slice(0, expected.length), `records complete within the first ${n} bytes`).toEqual(expected.map((s) => s.ev));
  const cutsLine = !isCapture(reader) && !whole && n > 0 && original[n - 1] !== 0x0a;
  if (cutsLine && got.events.length === expected.length + 1) {
    // The cut last line read as a record: it must be a new one, after the expected ones.
    const extra = got.events[expected.length].source as NetEvent['source'];
    const lastStart = expected.length > 0 ? (expected[expected.length - 1].ev.source as NetEvent['source']).offset : -1;
    expect(extra.offset).toBeGreaterThan(lastStart);
  } else {
    expect(got.events.length, `records from a file cut at ${n} (cutsLine ${cutsLine})`).toBe(expected.length);
  }
  if (whole) return;
  const inside = spans.find((s) => s.start < n && n < s.end);
  if (!inside) return;
  const named = got.diag.weirds.some((w) => w.file === file && w.offset !== undefined &&
    (isCapture(reader) ? w.offset === inside.start : w.offset >= inside.start && w.offset < n));
  expect(named, `a diagnostic for the record at ${inside.start} cut at ${n}: ${JSON.stringify(got.diag.weirds)}`).toBe(true);
}
