import { describe, expect, it } from 'vitest';
import { PROGRESS_MIN_BYTES, ProgressLine, progressText } from '../../../cli/io/progress-line';

const big = 1_024_000_000;
const p = (bytesDone: number, bytesTotal = big) => ({ file: 'flood.pcap', bytesDone, bytesTotal, records: 0, stage: 'read' });

describe('progressText', () => {
  it('gives bytes done of total, the share, the rate and the time left', () => {
    expect(progressText(p(312_000_000), 8)).toBe('flood.pcap: 312 MB of 1,024 MB (30%), 39.0 MB/s, about 19 s left');
  });
  it('leaves out the rate and the time left before any time has passed, and the total when unknown', () => {
    expect(progressText(p(0), 0)).toBe('flood.pcap: 0 MB of 1,024 MB (0%)');
    expect(progressText({ ...p(5_000_000), bytesTotal: undefined }, 1)).toBe('flood.pcap: 5 MB, 5.0 MB/s');
  });
});

describe('ProgressLine', () => {
  function harness() {
    let now = 0;
    const out: string[] = [];
    const line = new ProgressLine((s) => out.push(s), () => now);
    return { out, line, at: (ms: number) => { now = ms; } };
  }

  it('writes nothing for a file under the threshold', () => {
    const h = harness();
    for (let t = 0; t < 5000; t += 100) { h.at(t); h.line.update(p(t * 1000, PROGRESS_MIN_BYTES - 1), 0); }
    h.line.clear();
    expect(h.out).toEqual([]);
  });

  it('rewrites one line at most twice a second for a big file, and clears it at the end', () => {
    const h = harness();
    for (let t = 0; t <= 2000; t += 100) { h.at(t); h.line.update(p(t * 100_000), 0); }
    expect(h.out).toHaveLength(4);
    expect(h.out.every((s) => s.startsWith('\r\x1b[2K') && !s.includes('\n'))).toBe(true);
    expect(h.out[3]).toContain('200 MB of 1,024 MB (19%), 100.0 MB/s, about 9 s left');
    h.line.clear();
    expect(h.out.at(-1)).toBe('\r\x1b[2K');
  });

  it('starts the clock again for the next file', () => {
    const h = harness();
    h.at(0); h.line.update(p(0), 0);
    h.at(10_000); h.line.update(p(big), 0);
    h.at(10_000); h.line.update(p(0), 1);
    h.at(11_000); h.line.update(p(50_000_000), 1);
    expect(h.out.at(-1)).toContain('50.0 MB/s');
  });
});
