/**
 * Worker thread entry: frames one classic pcap file (framePcap), dates and
 * counts every frame, tests each against the case's addresses
 * (AddressPrefilter) and hands the frames it keeps to the calling thread in
 * batches through the slots both share (frame-protocol.ts). The worker may
 * start before its file is known (frame-thread.ts warms one up while the
 * complaint is read): it waits for a 'start' message.
 *
 * This thread does nothing else, so it reads the file with blocking reads
 * and waits for a free slot with Atomics.wait: asynchronous reads left it
 * idle between every chunk, waiting for the thread pool and its own event
 * loop, and the calling thread then waited for it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { Diagnostics } from '../../analysis/events/diagnostics';
import { AddressPrefilter } from '../../analysis/ingest/capture/address-prefilter';
import type { CaptureFrame } from '../../analysis/ingest/capture/frame';
import { framePcap } from '../../analysis/ingest/capture/pcap';
import { chunkLength } from './file-source';
import {
  FILLED, META_FIELDS, SLOT_BYTES, SLOT_FRAMES, SLOTS, slotControl, slotViews,
  type FrameTotals, type FrameWorkerReply, type FrameWorkerRequest, type FrameWorkerSetup,
} from './frame-protocol';

/** A batch is sent at least this often (bytes of file framed), so progress moves when few frames are kept. */
const FLUSH_EVERY_BYTES = 8 << 20;

const port = parentPort!;

port.on('message', (m: FrameWorkerRequest) => {
  try {
    run(m.setup);
  } catch (e) {
    post({ type: 'failed', message: (e as Error)?.message ?? String(e) });
  }
});

function post(m: FrameWorkerReply, transfer?: ArrayBuffer[]): void {
  port.postMessage(m, transfer);
}

/** The file in chunks read with blocking reads into two buffers in turn (a chunk stays valid until the next is asked for). */
function* chunks(path: string, size: number | undefined): Generator<Uint8Array> {
  // The calling thread's chunks (chunkLength): where framing stops at a fault, the bytes it says it read are the same.
  const length = chunkLength(size);
  const fd = openSync(path, 'r');
  try {
    const buffers = [new Uint8Array(length), new Uint8Array(length)];
    for (let turn = 0, position = 0; ; turn ^= 1) {
      const n = readSync(fd, buffers[turn], 0, length, position);
      if (n === 0) return;
      position += n;
      yield buffers[turn].subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

function run(setup: FrameWorkerSetup): void {
  const slots = Array.from({ length: SLOTS }, (_, i) => slotViews(setup.shared, i));
  const control = slotControl(setup.shared);
  const prefilter = setup.addresses !== undefined ? new AddressPrefilter(setup.addresses) : undefined;
  const diag = new Diagnostics();
  const totals: FrameTotals = { records: 0, bytes: 0 };
  // The batch being filled: a slot (slot >= 0), buffers of its own (slot === PRIVATE), or none (NONE).
  const NONE = -1, PRIVATE = -2;
  let slot = NONE, count = 0, used = 0;
  let data: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  let meta: Float64Array<ArrayBufferLike> = new Float64Array(0);
  // The first batch goes after the first chunk: the calling thread is waiting for it.
  let flushAt = 0;

  const freeSlots = (): number => {
    let n = 0;
    for (let i = 0; i < SLOTS; i++) if (Atomics.load(control, i) !== FILLED) n++;
    return n;
  };
  /** Block until `n` slots are free besides the one being filled. */
  const waitForSlots = (n: number): void => {
    for (;;) {
      const freed = Atomics.load(control, SLOTS);
      if (freeSlots() - (slot >= 0 ? 1 : 0) >= n) return;
      Atomics.wait(control, SLOTS, freed);
    }
  };
  const take = (): void => {
    count = 0;
    used = 0;
    for (let i = 0; i < SLOTS; i++) {
      if (Atomics.load(control, i) === FILLED) continue;
      slot = i;
      ({ data, meta } = slots[i]);
      return;
    }
    // Every slot in the other thread's hands: a chunk of frames under 64 bytes fills slots by count faster than pacing allows for.
    slot = PRIVATE;
    data = new Uint8Array(SLOT_BYTES);
    meta = new Float64Array(SLOT_FRAMES * META_FIELDS);
  };
  const flush = (): void => {
    if (slot === PRIVATE) {
      post({ type: 'batch-copy', data, meta, count, totals: { ...totals } }, [data.buffer as ArrayBuffer, meta.buffer as ArrayBuffer]);
    } else {
      Atomics.store(control, slot, FILLED);
      post({ type: 'batch', slot, count, totals: { ...totals } });
    }
    slot = NONE;
    flushAt = totals.bytes + FLUSH_EVERY_BYTES;
  };
  const keep = (f: CaptureFrame): void => {
    const length = f.end - f.start;
    if (length > SLOT_BYTES) {
      // Rare (a frame over a slot's 1 MiB, under a larger snap length): the batch so far, then this frame in a message of its own, in file order.
      if (slot !== NONE) flush();
      const bytes = f.bytes.slice(f.start, f.end);
      post({ type: 'frame', meta: [f.packet, f.offset, f.linkType, f.tsSec, f.tsNanos, f.origLen, 0, length], data: bytes }, [bytes.buffer]);
      return;
    }
    if (slot !== NONE && (count === SLOT_FRAMES || used + length > SLOT_BYTES)) flush();
    if (slot === NONE) take();
    data.set(f.bytes.subarray(f.start, f.end), used);
    const at = count * META_FIELDS;
    meta[at] = f.packet; meta[at + 1] = f.offset; meta[at + 2] = f.linkType; meta[at + 3] = f.tsSec;
    meta[at + 4] = f.tsNanos; meta[at + 5] = f.origLen; meta[at + 6] = used; meta[at + 7] = used + length;
    used += length;
    count++;
  };

  /** The file's chunks, each read only when the slots it could fill are free. */
  async function* paced(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks(setup.path, setup.size)) {
      // A chunk at most a slot long fills the open slot and one more by bytes; more only of frames under 64 bytes (then batch-copy).
      waitForSlots(slot !== NONE ? 1 : 2);
      yield chunk;
    }
  }

  void framePcap(paced(), {
    file: setup.file,
    diag,
    onBytes: (n) => {
      totals.bytes = n;
      if (n >= flushAt) {
        if (slot === NONE) take();
        flush();
      }
    },
  }, (f) => {
    const ts = f.tsSec * 1_000_000 + Math.floor(f.tsNanos / 1000);
    totals.records++;
    if (totals.firstTs === undefined || ts < totals.firstTs) totals.firstTs = ts;
    if (totals.lastTs === undefined || ts > totals.lastTs) totals.lastTs = ts;
    if (prefilter === undefined || !prefilter.skips(f.linkType, f.bytes, f.start, f.end)) keep(f);
  }).then((summary) => {
    if (slot !== NONE && count > 0) flush();
    post({ type: 'done', summary, weirds: diag.weirds, counts: [...diag.counts], totals });
  }, (e: unknown) => post({ type: 'failed', message: (e as Error)?.message ?? String(e) }));
}
