import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSize, takeShapeArgs } from '../../bench/shapes/args';
import { floodShape } from '../../bench/shapes/flood';
import type { Run } from '../../bench/shapes/measure';
import { combineRuns } from '../../bench/shapes/repeat';
import { slicePcap } from '../../bench/shapes/slice';
import { hasTool } from '../helpers/tools';

/**
 * The bench's options, its slicer (against editcap) and the generators'
 * determinism. What the captures contain is checked against tshark in
 * shapes.slow.test.ts.
 */
const dir = mkdtempSync(join(tmpdir(), 'bench-shapes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('bench options', () => {
  it('reads sizes in MiB, GiB and plain MiB numbers', () => {
    expect(parseSize('200M')).toBe(200 * 2 ** 20);
    expect(parseSize('1G')).toBe(2 ** 30);
    expect(parseSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseSize('64')).toBe(64 * 2 ** 20);
    expect(() => parseSize('lots')).toThrow(/not a size/);
  });

  it('takes its own ids and options and leaves the rest to the capture-reading bench', () => {
    const a = takeShapeArgs(['--only', 'scale,store', '--size', '200M', '--store-cases', '10']);
    expect([...a.ids]).toEqual(['scale']);
    expect(a.sizeBytes).toBe(200 * 2 ** 20);
    expect(a.rest).toEqual(['--store-cases', '10', '--only', 'store']);
    expect(a.onlyOurs).toBe(false);
    expect(takeShapeArgs(['--only', 'scale']).onlyOurs).toBe(true);
    expect([...takeShapeArgs(['--only', 'shapes']).ids].sort()).toEqual(['flood', 'flood-x4', 'mixed', 'scan', 'web']);
    // A plain run measures every shape but leaves the scale check and the profile to be asked for.
    const plain = takeShapeArgs(['--regenerate']);
    expect([...plain.ids].sort()).toEqual(['flood', 'flood-x4', 'mixed', 'scan', 'web']);
    expect(plain.regenerate).toBe(true);
    expect(plain.rest).toEqual(['--regenerate']);
  });

  it('--repeat takes a whole number of rounds, 1 by default', () => {
    expect(takeShapeArgs([]).repeat).toBe(1);
    expect(takeShapeArgs(['--repeat', '3']).repeat).toBe(3);
    expect(() => takeShapeArgs(['--repeat', '0'])).toThrow(/--repeat/);
    expect(() => takeShapeArgs(['--repeat', '1.5'])).toThrow(/--repeat/);
  });
});

describe('combineRuns (--repeat)', () => {
  const run = (seconds: number, peakRssMB: number, more: Partial<Run> = {}): Run => ({
    seconds, peakRssMB, cpuSeconds: seconds, exitCode: 0, stdout: `${seconds}`, stderrHead: '', stderrTail: '', ...more,
  });

  it('is the median run by wall time, with the highest peak RSS of all runs', () => {
    const c = combineRuns([run(14.1, 230), run(20.5, 226), run(13.8, 281)]);
    expect([c.seconds, c.cpuSeconds, c.stdout, c.peakRssMB]).toEqual([14.1, 14.1, '14.1', 281]);
    // Even counts: the lower middle, never a time no run took.
    expect(combineRuns([run(3, 1), run(1, 1), run(2, 1), run(4, 1)]).seconds).toBe(2);
    expect(combineRuns([run(7, 9)]).seconds).toBe(7);
  });

  it('is a failed or stopped run when there is one: no failure hides behind a median', () => {
    expect(combineRuns([run(1, 1), run(2, 1, { exitCode: 1 }), run(3, 1)]).exitCode).toBe(1);
    expect(combineRuns([run(1, 1), run(9, 400, { killed: 'memory', exitCode: null })]).killed).toBe('memory');
  });
});

describe('generators and the slicer', () => {
  const file = join(dir, 'flood.pcap');
  const g = floodShape.generate(file, 256 << 10, () => {});

  it('a generator writes the same bytes every time (seeded)', () => {
    const again = join(dir, 'flood-again.pcap');
    floodShape.generate(again, 256 << 10, () => {});
    expect(sha(again)).toBe(sha(file));
  });

  it('slicePcap cuts the same records as editcap -r', () => {
    if (!hasTool('editcap')) throw new Error('editcap is required by this test and is not installed: apt-get install wireshark-common');
    const mine = join(dir, 'mine.pcap');
    const theirs = join(dir, 'theirs.pcap');
    const cut = slicePcap(file, mine, 1000, 250);
    expect(cut.packets).toBe(250);
    // editcap numbers packets from 1.
    execFileSync('editcap', ['-F', 'pcap', '-r', file, theirs, '1001-1250'], { stdio: 'ignore' });
    expect(sha(mine)).toBe(sha(theirs));
  });

  it('slicePcap stops at the end of a capture shorter than asked', () => {
    const cut = slicePcap(file, join(dir, 'tail.pcap'), g.packets - 3, 100);
    expect(cut.packets).toBe(3);
    expect(cut.bytes).toBe(24 + 3 * (16 + 60));
  });
});
