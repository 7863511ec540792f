/**
 * Progress throttle: at most one message per interval, but never stale: the
 * latest value goes out when the interval ends, and a change of file or stage
 * (a file finishing) goes out at once so the window never misses an end.
 *
 * With `heartbeat`, the latest value is also repeated when the reader has
 * been quiet for an interval (readers report every few MB; on a slow disk or
 * a busy machine that is less often than the window's ~5 updates a second),
 * so the window can tell a slow job from a stuck one. One timer, re-armed
 * after every message, does both.
 */
export class ProgressThrottle<T extends { fileIndex: number; stage: string }> {
  private last = Number.NEGATIVE_INFINITY;
  private pending: T | undefined;
  private latest: T | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastKey = '';
  private stopped = false;

  constructor(
    private readonly send: (p: T) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly heartbeat = false,
  ) {}

  push(p: T): void {
    if (this.stopped) return;
    this.latest = p;
    const key = `${p.fileIndex}/${p.stage}`;
    const changed = key !== this.lastKey;
    this.lastKey = key;
    const t = this.now();
    if (changed || t - this.last >= this.intervalMs) this.flush(p, t);
    else {
      this.pending = p;
      this.arm(this.intervalMs - (t - this.last));
    }
  }

  /** Drop anything pending (the job ended). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private arm(ms: number): void {
    this.timer ??= setTimeout(() => this.due(), Math.max(0, ms));
  }

  private due(): void {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.pending) this.flush(this.pending, this.now());
    else if (this.heartbeat && this.latest && this.latest.stage !== 'done') this.flush(this.latest, this.now());
  }

  private flush(p: T, t: number): void {
    this.pending = undefined;
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.last = t;
    this.send(p);
    if (this.heartbeat) this.arm(this.intervalMs);
  }
}
