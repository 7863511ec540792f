import type { Progress } from '../../analysis/ingest/reader';

/** Files smaller than this read in a few seconds: no progress line for them. */
export const PROGRESS_MIN_BYTES = 50 * 1024 * 1024;
/** How often the line is rewritten. */
const INTERVAL_MS = 500;

const mb = (n: number): string => `${Math.round(n / 1e6).toLocaleString('en-US')} MB`;

/** "big.pcap: 312 MB of 1,024 MB (30%), 41 MB/s, about 17 s left" from a progress report and the seconds since the file started. */
export function progressText(p: Progress, seconds: number): string {
  const rate = seconds > 0 ? p.bytesDone / seconds : 0;
  const parts = [`${p.file}: ${mb(p.bytesDone)}${p.bytesTotal ? ` of ${mb(p.bytesTotal)} (${Math.floor((100 * p.bytesDone) / p.bytesTotal)}%)` : ''}`];
  if (rate > 0) parts.push(`${(rate / 1e6).toFixed(1)} MB/s`);
  if (rate > 0 && p.bytesTotal && p.bytesTotal > p.bytesDone) parts.push(`about ${Math.ceil((p.bytesTotal - p.bytesDone) / rate)} s left`);
  return parts.join(', ');
}

/**
 * A progress line on a terminal for the big files of a run: rewritten in
 * place at most twice a second, cleared when the file is done. Nothing is
 * written for small files or when `write` is not a terminal's.
 */
export class ProgressLine {
  private file = -1;
  private started = 0;
  private lastWrite = 0;
  private shown = false;

  constructor(private readonly write: (s: string) => void, private readonly now: () => number = () => performance.now()) {}

  update(p: Progress, fileIndex: number): void {
    if (fileIndex !== this.file) { this.clear(); this.file = fileIndex; this.started = this.now(); this.lastWrite = this.started; }
    if (!p.bytesTotal || p.bytesTotal < PROGRESS_MIN_BYTES) return;
    const t = this.now();
    if (t - this.lastWrite < INTERVAL_MS) return;
    this.lastWrite = t;
    this.write(`\r\x1b[2K${progressText(p, (t - this.started) / 1000)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.write('\r\x1b[2K');
    this.shown = false;
  }
}
