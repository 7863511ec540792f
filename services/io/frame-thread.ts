import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isMainThread, Worker } from 'node:worker_threads';
import { AbortError } from '../../analysis/events/diagnostics';
import type { PrefilteringFramer } from '../../analysis/ingest/capture/capture-reader';
import { AddressPrefilter } from '../../analysis/ingest/capture/address-prefilter';
import { reusableFrame, type CaptureFrame, type FramerSummary } from '../../analysis/ingest/capture/frame';
import { sniffPcap } from '../../analysis/ingest/capture/pcap';
import {
  META_FIELDS, SHARED_BYTES, SLOTS, releaseSlot, slotControl, slotViews,
  type FrameWorkerReply, type FrameWorkerRequest, type FrameWorkerSetup,
} from './frame-protocol';
import { addressMentions } from '../../analysis/complaint/addresses';
import { workerEntry } from './worker-entry';

/**
 * A large classic pcap framed in a thread of its own (frame-worker.ts). On a
 * capture where the case is a few packets in a hundred (a scan among a
 * border's traffic), reading the file, finding each record and testing its
 * addresses was half of what the calling thread did while the second core
 * sat mostly idle: the worker does that part, and the calling thread only
 * decodes the frames the case keeps and runs the detectors. The same events
 * reach the sink in the same order, and the same counts and diagnostics
 * reach the summary (test/services/io/frame-thread.test.ts compares both
 * paths on chosen and hostile files, frame-thread.slow.test.ts on every
 * classic pcap of the corpus).
 *
 * Unlike part workers (parallel-read.ts) nothing is analysed twice and
 * nothing merged: the worker holds a few buffers and no analysis, which is
 * why it pays on two cores where they do not.
 */

/** Below this a worker's start (50-80 ms here) is more than it saves. */
export const FRAME_THREAD_MIN_BYTES = 32 << 20;

/**
 * The thread frames a file only when the case keeps at most this share of
 * the frames at the file's start. Where the case keeps most frames (a flood
 * it is about, a server's own capture) the calling thread decodes them all
 * anyway: measured on the bench's shapes, the thread saved nothing on a
 * capture keeping a fifth or a seventh of its frames (web, mixed) and 1-3%
 * on the flood, and cost 20-45 MB more peak memory (a second isolate and its
 * heap), which the 4 GiB flood has no room for. On the scan, keeping one
 * frame in twenty, it saved 8-12% of the time.
 */
export const FRAME_THREAD_MAX_KEPT = 0.1;
/** Bytes at the start of a file whose frames decide (about 13,000 small frames; a 4 MiB sample stayed resident, 8 MB of peak memory). */
const SAMPLE_BYTES = 1 << 20;
/** The classic pcap file header and record header (pcap-savefile(5)). */
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** The worker's heap: it keeps no events, only a frame object; its buffers are outside the heap. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4 };

/**
 * Whether this thread frames in a thread at all: ABUSE_DESK_FRAME_THREAD=0
 * never, =1 at any size on any machine. A part worker (parallel-read.ts)
 * never does: the part workers already take every core.
 */
function mode(): 'never' | 'always' | 'large' {
  const forced = process.env.ABUSE_DESK_FRAME_THREAD;
  if (forced === '0' || !isMainThread) return 'never';
  if (forced === '1') return 'always';
  return availableParallelism() >= 2 ? 'large' : 'never';
}

const qualifies = (size: number | undefined): boolean => mode() === 'always' || (mode() === 'large' && (size ?? 0) >= FRAME_THREAD_MIN_BYTES);

/** A worker started before its file is known (warmFrameThread), not yet given one, and the file it was started for. */
let warm: Worker | undefined;
let warmFor: string | undefined;

function spawn(): Worker | undefined {
  const entry = workerEntry('frame-worker');
  if (!entry) return undefined;
  return new Worker(entry.script, { eval: entry.eval, resourceLimits: WORKER_LIMITS });
}

/**
 * Start a framing thread now when one of `paths` will likely be framed in
 * one, so that its start (50-80 ms of the other core) overlaps reading the
 * complaint instead of delaying the evidence. The case's addresses are not
 * known yet: `complaint`'s raw text stands in, every IPv4 address it names
 * (the case's own are among them, so the share kept is not understated).
 * A thread started for nothing cost the analysis 70 ms, so none is started
 * when the text names no address. An unused one does not keep the process
 * alive; coolFrameThread stops it.
 */
export async function warmFrameThread(paths: readonly string[], complaint: Uint8Array): Promise<void> {
  if (warm || mode() === 'never') return;
  const named = addressesNamedIn(complaint);
  if (named.length === 0) return;
  for (const p of paths) {
    const size = await stat(p).then((s) => s.size, () => undefined);
    if (!qualifies(size) || !framesInThread(await pcapKeptShare(p, named))) continue;
    const w = spawn();
    if (!w) return;
    w.unref();
    // One that died waiting is not handed a file: its exit has been and gone, and the file would wait for ever.
    w.on('error', () => undefined);
    w.once('exit', () => { if (warm === w) warm = undefined; });
    warm = w;
    warmFor = p;
    return;
  }
}

/** The addresses in the first 256 KiB of a complaint's raw bytes (the complaint reader's finder, without its role hints), each once. */
export function addressesNamedIn(raw: Uint8Array): string[] {
  const text = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 256 << 10)).toString('latin1');
  return [...new Set(addressMentions(text).map((m) => m.addr))];
}

/** Stop a warmed thread that no file took. */
export function coolFrameThread(): void {
  void warm?.terminate();
  warm = undefined;
  warmFor = undefined;
}

/**
 * A framer in a thread for `path` when it is a classic pcap to read that
 * way, else undefined (the file is read in the calling thread): another
 * format, smaller than FRAME_THREAD_MIN_BYTES, one core, no worker script in
 * this build, or ABUSE_DESK_FRAME_THREAD=0.
 */
export async function frameThreadFor(path: string, size: number | undefined, addresses: readonly string[] | undefined): Promise<PrefilteringFramer | undefined> {
  // A file that cannot be opened or sampled here is read in the calling thread, which reports why.
  const use = qualifies(size) && workerEntry('frame-worker') !== undefined && framesInThread(await pcapKeptShare(path, addresses));
  if (!use) {
    if (warmFor === path) coolFrameThread();
    return undefined;
  }
  return framerInThread(path, size);
}

/** The framer that frames the classic pcap at `path` in a thread (the warmed one, else a new one); undefined in a build without the worker's script. */
export function framerInThread(path: string, size: number | undefined): PrefilteringFramer | undefined {
  if (!workerEntry('frame-worker')) return undefined;
  return (ctx, addresses, sink, counts) => new Promise<FramerSummary>((resolve, reject) => {
    const worker = warm ?? spawn();
    warm = undefined;
    warmFor = undefined;
    if (!worker) { reject(new Error('the framing thread could not be started')); return; }
    worker.ref();
    const shared = new SharedArrayBuffer(SHARED_BYTES);
    const slots = Array.from({ length: SLOTS }, (_, i) => slotViews(shared, i));
    const control = slotControl(shared);
    const frame = reusableFrame();
    let settled = false;
    const finish = (e: Error | undefined, summary?: FramerSummary): void => {
      if (settled) return;
      settled = true;
      ctx.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (e) reject(e);
      else resolve(summary!);
    };
    const onAbort = (): void => finish(new AbortError());
    if (ctx.signal?.aborted) { onAbort(); return; }
    ctx.signal?.addEventListener('abort', onAbort);
    const frames = (data: Uint8Array, meta: Float64Array | number[], count: number): void => {
      frame.bytes = data;
      for (let i = 0, at = 0; i < count; i++, at += META_FIELDS) fill(frame, meta, at);
    };
    const fill = (f: CaptureFrame, meta: Float64Array | number[], at: number): void => {
      f.packet = meta[at]; f.offset = meta[at + 1]; f.linkType = meta[at + 2]; f.tsSec = meta[at + 3];
      f.tsNanos = meta[at + 4]; f.origLen = meta[at + 5]; f.start = meta[at + 6]; f.end = meta[at + 7];
      sink(f);
    };
    worker.on('message', (m: FrameWorkerReply) => {
      if (settled) return;
      try {
        if (m.type === 'batch' || m.type === 'batch-copy') {
          if (m.type === 'batch') frames(slots[m.slot].data, slots[m.slot].meta, m.count);
          else frames(m.data, m.meta, m.count);
          counts.records = m.totals.records;
          counts.firstTs = m.totals.firstTs;
          counts.lastTs = m.totals.lastTs;
          ctx.onBytes?.(m.totals.bytes);
          if (m.type === 'batch') releaseSlot(control, m.slot);
        } else if (m.type === 'frame') {
          frames(m.data, m.meta, 1);
        } else if (m.type === 'done') {
          counts.records = m.totals.records;
          counts.firstTs = m.totals.firstTs;
          counts.lastTs = m.totals.lastTs;
          for (const w of m.weirds) ctx.diag.weird(w);
          // Codes past the per-code cap were counted there, not kept: count them here too.
          for (const [code, n] of m.counts) {
            const kept = m.weirds.filter((w) => w.code === code).length;
            if (n > kept) ctx.diag.counts.set(code, (ctx.diag.counts.get(code) ?? 0) + n - kept);
          }
          finish(undefined, m.summary);
        } else {
          finish(new Error(m.message));
        }
      } catch (e) {
        finish(e as Error);
      }
    });
    worker.on('error', (e) => finish(e));
    worker.on('exit', (code) => finish(new Error(`the framing thread stopped (exit code ${code}) before the end of the file`)));
    const setup: FrameWorkerSetup = { path, file: ctx.file, size, addresses, shared };
    worker.postMessage({ type: 'start', setup } satisfies FrameWorkerRequest);
  });
}

/**
 * Of the frames in the file's first SAMPLE_BYTES, the share the case would
 * keep (1 without addresses); undefined when the file is not a classic pcap
 * or cannot be read here. One read answers both. The records are walked
 * here, not through framePcap: a second caller made its calls to the sink
 * polymorphic, and the file's own pass 3% slower.
 */
async function pcapKeptShare(path: string, addresses: readonly string[] | undefined): Promise<number | undefined> {
  let head: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = new Uint8Array(addresses ? SAMPLE_BYTES : 4);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
  if (sniffPcap(head) === 0) return undefined;
  if (addresses === undefined || head.length < GLOBAL_HEADER) return 1;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = v.getUint32(0, true);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const linkType = v.getUint32(20, little) & 0x0fffffff;
  const prefilter = new AddressPrefilter(addresses);
  let frames = 0, kept = 0;
  for (let at = GLOBAL_HEADER; at + RECORD_HEADER <= head.length;) {
    const end = at + RECORD_HEADER + v.getUint32(at + 8, little);
    if (end > head.length) break;
    frames++;
    if (!prefilter.skips(linkType, head, at + RECORD_HEADER, end)) kept++;
    at = end;
  }
  return frames === 0 ? 1 : kept / frames;
}

/** Whether a file whose start keeps `share` of its frames (undefined: not a classic pcap) is framed in a thread. */
function framesInThread(share: number | undefined): boolean {
  return share !== undefined && (mode() === 'always' || share <= FRAME_THREAD_MAX_KEPT);
}
