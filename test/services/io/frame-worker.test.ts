import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SHARED_BYTES, SLOTS, releaseSlot, slotControl, type FrameWorkerReply, type FrameWorkerRequest,
} from '../../../services/io/frame-protocol';
import { workerEntry } from '../../../services/io/worker-entry';
import { tcpFrame, writePcap } from '../../helpers/pcap-writer';

/**
 * The framing worker on its own, through its protocol: it waits for its
 * file, sends batches through the slots, stops reading while every slot is
 * in the other thread's hands and goes on when they come back, and says
 * what failed instead of dying.
 */

const dir = mkdtempSync(join(tmpdir(), 'frame-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(path: string): { worker: Worker; control: Int32Array; replies: FrameWorkerReply[]; next: () => Promise<FrameWorkerReply> } {
  const entry = workerEntry('frame-worker')!;
  const worker = new Worker(entry.script, { eval: entry.eval });
  const shared = new SharedArrayBuffer(SHARED_BYTES);
  const replies: FrameWorkerReply[] = [];
  const waiters: Array<(m: FrameWorkerReply) => void> = [];
  worker.on('message', (m: FrameWorkerReply) => { replies.push(m); waiters.shift()?.(m); });
  let seen = 0;
  const next = (): Promise<FrameWorkerReply> => (seen < replies.length ? Promise.resolve(replies[seen++]) : new Promise((resolve) => waiters.push((m) => { seen++; resolve(m); })));
  const size = path.endsWith('missing.pcap') ? 1 : statSync(path).size;
  worker.postMessage({ type: 'start', setup: { path, file: 'x.pcap', size, shared } } satisfies FrameWorkerRequest);
  return { worker, control: slotControl(shared), replies, next };
}

describe('the framing worker', () => {
  it('holds its reading while every slot is taken and finishes once they are given back', async () => {
    // 60,000 frames of 70 bytes: 4 MiB, a chunk per MiB, each batch a slot.
    const frames = Array.from({ length: 60_000 }, (_, i) => ({ ts: 1_767_233_000e6 + i, data: tcpFrame({ src: '203.0.113.77', dst: '198.51.100.10', sport: 1024 + (i % 60000), dport: 80, flags: 'S' }) }));
    const path = join(dir, 'four-mib.pcap');
    writeFileSync(path, writePcap(frames));
    const { worker, control, replies, next } = start(path);
    try {
      const held: number[] = [];
      while (held.length < SLOTS - 1) {
        const m = await next();
        expect(m.type).toBe('batch');
        if (m.type === 'batch') held.push(m.slot);
      }
      await new Promise((r) => setTimeout(r, 300));
      // A chunk is read only with a slot free besides the one being filled: with three held and the fourth filling, it waits.
      expect(replies.length).toBe(SLOTS - 1);
      for (const s of held) releaseSlot(control, s);
      let frameCount = 0;
      for (const m of replies.slice(0, held.length)) if (m.type === 'batch') frameCount += m.count;
      for (;;) {
        const m = await next();
        if (m.type === 'batch') { frameCount += m.count; releaseSlot(control, m.slot); continue; }
        expect(m.type).toBe('done');
        if (m.type === 'done') {
          expect(m.totals.records).toBe(60_000);
          expect(m.summary.frames).toBe(60_000);
        }
        break;
      }
      expect(frameCount).toBe(60_000);
    } finally {
      await worker.terminate();
    }
  }, 30_000);

  it('a file it cannot open is a failure it reports, not a crash', async () => {
    const { worker, next } = start(join(dir, 'missing.pcap'));
    try {
      const m = await next();
      expect(m).toMatchObject({ type: 'failed', message: expect.stringMatching(/ENOENT/) });
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
