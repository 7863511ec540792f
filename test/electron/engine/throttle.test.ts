/**
 * The rate of the engine's progress messages, on a fake clock: the engine
 * builds its throttle exactly like this (PROGRESS_INTERVAL_MS, the default
 * clock performance.now, heartbeat on), so these counts are the engine's,
 * whatever the load of the machine running the test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROGRESS_INTERVAL_MS } from '../../../electron/common/engine-protocol';
import { ProgressThrottle } from '../../../electron/engine/throttle';

interface P { fileIndex: number; stage: string; n: number }

/** A throttle built as the engine builds it; each message records its time and how many reports had been made. */
function engineThrottle() {
  const sent: Array<P & { at: number; reports: number }> = [];
  let reports = 0;
  const t = new ProgressThrottle<P>((p) => sent.push({ ...p, at: performance.now(), reports }), PROGRESS_INTERVAL_MS, undefined, true);
  const push = (p: P): void => { reports++; t.push(p); };
  return { t, push, sent };
}

beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }); });
afterEach(() => { vi.useRealTimers(); });

describe('engine progress throttle (fake clock)', () => {
  it('sends one message per interval from a reader that reports every 10 ms, always the latest value', () => {
    const { t, push, sent } = engineThrottle();
    for (let n = 0; n < 200; n++) {
      if (n) vi.advanceTimersByTime(10);
      push({ fileIndex: 0, stage: 'decoding', n });
    }
    // 200 reports over 1990 ms: one at once, then one per interval.
    expect(sent).toHaveLength(Math.floor(1990 / PROGRESS_INTERVAL_MS) + 1);
    for (let i = 1; i < sent.length; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(PROGRESS_INTERVAL_MS);
    // Never stale: each message is the last report made before it went out.
    for (const m of sent) expect(m.n).toBe(m.reports - 1);
    t.stop();
  });

  it('repeats the latest value every interval while the reader is quiet, so a slow job is seen moving', () => {
    const { t, push, sent } = engineThrottle();
    push({ fileIndex: 0, stage: 'decoding', n: 1 });
    vi.advanceTimersByTime(5 * PROGRESS_INTERVAL_MS);
    expect(sent.map((m) => m.n)).toEqual([1, 1, 1, 1, 1, 1]);
    t.stop();
  });

  it('sends a change of file or stage at once, and no heartbeat after the end', () => {
    const { push, sent } = engineThrottle();
    push({ fileIndex: 0, stage: 'decoding', n: 1 });
    vi.advanceTimersByTime(10);
    push({ fileIndex: 0, stage: 'done', n: 2 });
    push({ fileIndex: 1, stage: 'decoding', n: 3 });
    expect(sent.map((m) => m.n)).toEqual([1, 2, 3]);
    push({ fileIndex: 1, stage: 'done', n: 4 });
    vi.advanceTimersByTime(10 * PROGRESS_INTERVAL_MS);
    expect(sent.map((m) => m.n)).toEqual([1, 2, 3, 4]);
  });

  it('drops what is pending when the job ends', () => {
    const { t, push, sent } = engineThrottle();
    push({ fileIndex: 0, stage: 'decoding', n: 1 });
    vi.advanceTimersByTime(10);
    push({ fileIndex: 0, stage: 'decoding', n: 2 });
    t.stop();
    vi.advanceTimersByTime(10 * PROGRESS_INTERVAL_MS);
    expect(sent.map((m) => m.n)).toEqual([1]);
  });
});

describe('progress throttle', () => {
  it('sends at most one per interval, the latest value, and file ends at once', async () => {
    let now = 0;
    const sent: Array<{ fileIndex: number; stage: string; n: number }> = [];
    const t = new ProgressThrottle<{ fileIndex: number; stage: string; n: number }>((p) => sent.push(p), 200, () => now);
    for (let i = 0; i < 100; i++) { now = i * 10; t.push({ fileIndex: 0, stage: 'decoding', n: i }); }
    // 0..990 ms: one at 0, then every 200 ms
    expect(sent.map((p) => p.n)).toEqual([0, 20, 40, 60, 80]);
    t.push({ fileIndex: 0, stage: 'done', n: 100 });
    expect(sent.at(-1)).toMatchObject({ stage: 'done', n: 100 });
    t.stop();
  });
});
