import type { Weird } from '../../analysis/events/diagnostics';
import type { FramerSummary } from '../../analysis/ingest/capture/frame';

/**
 * The messages between the framing thread (frame-worker.ts) and the thread
 * it frames for (frame-thread.ts), and the memory they share: SLOTS slots,
 * each the bytes of up to SLOT_BYTES of kept frames and the fields of up to
 * SLOT_FRAMES of them. A batch is a slot and a count: the messages stay a few
 * numbers, and no buffer is made or moved per batch (a transferred buffer per
 * batch made the collector of the calling thread run long full collections).
 * The calling thread gives a slot back through Atomics, not a message: the
 * worker reads and frames without turning its event loop.
 */

export interface FrameWorkerSetup {
  path: string;
  /** The file's name in diagnostics. */
  file: string;
  size?: number;
  /** The case's addresses; undefined: every frame is kept. */
  addresses?: readonly string[];
  /** SHARED_BYTES shared by both threads. */
  shared: SharedArrayBuffer;
}

export const SLOTS = 4;
/** Bytes of kept frames a slot holds: a chunk's (file-source.ts), more than the largest frame framePcap passes unless the file's snap length is larger (such a frame goes in a message of its own). */
export const SLOT_BYTES = 1 << 20;
/** Frames a slot holds: more than a chunk holds of 60-byte frames (13,800), a flood's. */
export const SLOT_FRAMES = 16384;
/** Fields of one kept frame, in this order: packet, offset, linkType, tsSec, tsNanos, origLen, start, end (in the slot's bytes). */
export const META_FIELDS = 8;
const META_BYTES = SLOT_FRAMES * META_FIELDS * 8;
const SLOT_STRIDE = SLOT_BYTES + META_BYTES;
/** After the slots: one Int32 per slot (FILLED while the calling thread has its batch), then a count of slots freed, to wait on. */
const CONTROL_BYTES = (SLOTS + 1) * 4;
export const SHARED_BYTES = SLOTS * SLOT_STRIDE + CONTROL_BYTES;
export const FILLED = 1;

/** Slot `i`'s frame bytes and frame fields. */
export function slotViews(shared: SharedArrayBuffer, i: number): { data: Uint8Array; meta: Float64Array } {
  const at = i * SLOT_STRIDE;
  return { data: new Uint8Array(shared, at + META_BYTES, SLOT_BYTES), meta: new Float64Array(shared, at, SLOT_FRAMES * META_FIELDS) };
}

/** The slots' states (index i) and the freed count (index SLOTS), for Atomics. */
export function slotControl(shared: SharedArrayBuffer): Int32Array {
  return new Int32Array(shared, SLOTS * SLOT_STRIDE, SLOTS + 1);
}

/** The calling thread is done with slot `i`: the worker may fill it again (and wakes if it waits for one). */
export function releaseSlot(control: Int32Array, i: number): void {
  Atomics.store(control, i, 0);
  Atomics.add(control, SLOTS, 1);
  Atomics.notify(control, SLOTS);
}

/** Counts and times of all frames so far (µs), and file bytes framed. */
export interface FrameTotals { records: number; firstTs?: number; lastTs?: number; bytes: number }

export interface FrameWorkerRequest { type: 'start'; setup: FrameWorkerSetup }

export type FrameWorkerReply =
  | { type: 'batch'; slot: number; count: number; totals: FrameTotals }
  /** A batch in buffers of its own, when every slot was taken (a chunk of tiny frames, more than the slots hold by count). */
  | { type: 'batch-copy'; data: Uint8Array; meta: Float64Array; count: number; totals: FrameTotals }
  /** One frame too large for a slot, with its fields as a batch gives them. */
  | { type: 'frame'; meta: number[]; data: Uint8Array }
  | { type: 'done'; summary: FramerSummary; weirds: Weird[]; counts: Array<[string, number]>; totals: FrameTotals }
  | { type: 'failed'; message: string };
