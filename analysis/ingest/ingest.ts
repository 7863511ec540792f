import type { EventSink, EvidenceReader, ReadContext, ReadSummary } from './reader';
import type { Weird } from '../events/diagnostics';
import { pcapngReader, pcapReader } from './capture/capture-reader';
import { textReaders } from './text/index';

/** Every reader, captures first: binary magics are unambiguous, text formats are scored. */
export const readers: EvidenceReader[] = [pcapReader, pcapngReader, ...textReaders];

/** Bytes of the file's start used to recognise its format. */
export const SNIFF_BYTES = 64 * 1024;

/** The best reader for a file's first bytes, or null when nothing recognises it. */
export function sniffFormat(head: Uint8Array): EvidenceReader | null {
  let best: EvidenceReader | null = null;
  let bestScore = 0.3; // below this a text reader is guessing
  for (const r of readers) {
    const s = r.sniff(head);
    if (s > bestScore) { best = r; bestScore = s; }
    if (s >= 1) break;
  }
  return best;
}

/**
 * Read the first `n` bytes of a stream and give back an equivalent stream
 * that replays them, so sniffing costs no second read of the file.
 */
export async function peek(
  source: AsyncIterable<Uint8Array>,
  n: number,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array>; close: () => Promise<void> }> {
  const it = source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) { ended = true; break; }
    // A source may reuse a chunk's buffer once the next is asked for: keep a copy of all but the latest.
    if (taken.length > 0) taken[taken.length - 1] = taken[taken.length - 1].slice();
    taken.push(r.value);
    have += r.value.length;
  }
  const head = new Uint8Array(Math.min(have, n));
  let p = 0;
  for (const c of taken) {
    if (p >= head.length) break;
    const part = c.subarray(0, head.length - p);
    head.set(part, p);
    p += part.length;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    yield* taken;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  // Closing releases the underlying file when we decide not to read past the head.
  const close = async (): Promise<void> => { await it.return?.(); };
  return { head, stream: replay(), close };
}

/**
 * Recognise a file's format from its content and read it into events.
 * Never throws for bad content: an unknown format or a fault is a
 * diagnostic and `summary.error`; an abort does throw (AbortError).
 */
export async function ingest(source: AsyncIterable<Uint8Array>, ctx: ReadContext, sink: EventSink): Promise<ReadSummary> {
  const { head, stream, close } = await peek(source, SNIFF_BYTES);
  const empty: ReadSummary = { file: ctx.file, format: 'unknown', linkTypes: [], records: 0, skipped: 0, bytes: head.length, timeInferred: false };
  if (head.length === 0) {
    const message = 'the file is empty';
    ctx.diag.weird({ code: 'empty_file', file: ctx.file, offset: 0, message });
    return { ...empty, error: message };
  }
  const reader = sniffFormat(head);
  if (!reader) {
    const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const message = `not a format we read (first bytes: ${hex}); expected pcap, pcapng or a text log (argus ra, netfilter LOG, Snort, scanlogd, tcpdump text, Zeek conn.log, fail2ban)`;
    ctx.diag.weird({ code: 'unknown_format', file: ctx.file, offset: 0, message });
    await close();
    return { ...empty, error: message };
  }
  const before = ctx.diag.weirds.length;
  return withStopError(await reader.read(stream, ctx, sink), ctx.diag.weirds.slice(before));
}

/** A reader that stopped at a corrupt or cut record (one of `weirds`, its diagnostics) says so as the summary's error too. */
export function withStopError(summary: ReadSummary, weirds: readonly Weird[]): ReadSummary {
  const stopped = weirds.find((w) => w.code === 'corrupt_record_length' || w.code === 'truncated_record' || w.code === 'corrupt_block');
  if (stopped && !summary.error) summary.error = stopped.message;
  return summary;
}
