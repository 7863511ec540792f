import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bruteForce } from '../../../analysis/detect/brute-force';
import type { Finding } from '../../../analysis/detect/detector';
import { argusVersions } from '../../helpers/argus';
import { makeContext } from '../../helpers/context';
import { loadEvents } from '../../helpers/load-events';
import { corpusDir } from '../../helpers/paths';
import { cachedToolOutput, keyArgs } from '../../helpers/tool-cache';
import { readEvidence } from './evidence';

/**
 * The same password guessing from its packets and from real argus's flow
 * records of those packets: argus meters the capture, ra prints the records
 * (per-direction counters with durations, and ra's default columns, which
 * give only totals and no duration), the argus reader reads them, and the
 * detector must reach the same finding with the same leaning either way.
 * The captures are the corpus's brute-force traces (Zeek's test traces, not
 * written for this detector). ra output is cached by capture hash and tool
 * versions (tool-cache.ts); a cold run waits for argus's exit delay.
 */

const run = promisify(execFile);

// -X: no /etc/argus.conf (its 5 s status interval would cut sessions into several records); -S 86400: one record per session.
const ARGUS = ['-X', '-S', '86400', '-r', 'FILE', '-w', 'OUT'];
const LAYOUTS: Record<string, string[]> = {
  // Epoch times, ',' delimited, per-direction counters and the duration.
  long: ['-X', '-n', '-u', '-p', '6', '-c', ',', '-r', 'OUT', '-s', 'stime', 'dur', 'saddr', 'sport', 'dir', 'daddr', 'dport', 'proto', 'state', 'spkts', 'dpkts', 'sbytes', 'dbytes', '-', 'not', 'man'],
  // What an operator gets from `ra -n -r FILE`: time of day, totals, state; no duration.
  default: ['-X', '-n', '-r', 'OUT', '-', 'not', 'man'],
};

async function raReport(capture: string, layout: string): Promise<string> {
  const raArgs = LAYOUTS[layout];
  return cachedToolOutput({ file: capture, versions: argusVersions(), args: [keyArgs(ARGUS.map((a) => (a === 'FILE' ? capture : a)), capture), raArgs] }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-argus-'));
    const out = join(dir, 'out.argus');
    const at = (args: string[]): string[] => args.map((a) => (a === 'OUT' ? out : a === 'FILE' ? capture : a));
    try {
      await run('argus', at(ARGUS));
      // ra prints local time; UTC keeps the default layout's time of day the capture's.
      return (await run('ra', at(raArgs), { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } })).stdout;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

function corpusFile(rel: string): string {
  const path = join(corpusDir, rel);
  if (!existsSync(path)) throw new Error(`${path} is missing: the tests need ../shared/corpus beside the checkout`);
  return path;
}

const shape = (fs: Finding[]) => fs.map((f) => ({ id: f.id, leaning: f.leaning, target: f.facts?.target, port: f.facts?.port, sessions: f.facts?.sessions }));

describe('brute-force: packets and real argus records of them agree', () => {
  it.each([
    ['pcap/zeek__ssh_sshguess.pcap', '192.168.56.1', '192.168.56.103', 11],
    ['pcap/zeek__ftp_bruteforce.pcap', '192.168.56.1', '192.168.56.101', 30],
  ])('%s', async (rel, accused, target, sessions) => {
    const capture = corpusFile(rel);
    const fromPackets = bruteForce.detect(makeContext({ events: await loadEvents(capture), accused: [accused] }));
    expect(shape(fromPackets)).toEqual([{ id: 'brute-force-sessions', leaning: 'compromise', target, port: fromPackets[0].facts?.port, sessions }]);

    const long = await readEvidence('argus.csv', await raReport(capture, 'long'));
    expect(long.every((e) => e.kind === 'flow')).toBe(true);
    const fromLong = bruteForce.detect(makeContext({ events: long, accused: [accused] }));
    expect(shape(fromLong)).toEqual(shape(fromPackets));
    expect(fromLong[0].facts?.fromFlowRecords).toBe(true);
    // argus's duration is first to last packet, as the packets' own is: the medians agree to the millisecond.
    expect(Math.abs((fromLong[0].facts?.medianSessionSeconds as number) - (fromPackets[0].facts?.medianSessionSeconds as number))).toBeLessThanOrEqual(0.01);

    const dflt = await readEvidence('argus.txt', await raReport(capture, 'default'));
    const fromDefault = bruteForce.detect(makeContext({ events: dflt, accused: [accused] }));
    expect(shape(fromDefault)).toEqual(shape(fromPackets));
    expect(fromDefault[0].facts).toMatchObject({ sessionDurationsKnown: false, medianSessionPackets: fromPackets[0].facts?.medianSessionPackets });
  });
});
