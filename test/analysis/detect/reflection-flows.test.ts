import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reflection } from '../../../analysis/detect/reflection';
import type { NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { cachedNfcapdFile, nfdumpText } from '../../helpers/netflow';
import { requireTool } from '../../helpers/tools';
import { readEvidence } from './evidence';
import { THEM, T0, US, dnsFlood } from './reflection-traffic';
import { connLog } from './zeek-log';

/**
 * The same written flood as flow records: real argus metering it (ra with
 * per-direction packets and bytes), real softflowd exporting it as IPFIX to
 * real nfcapd (nfdump -o pipe: one record per direction), and the Zeek
 * conn.log row for it. Each says reflection-amplification, with the factor
 * of the payload bytes written, give or take the headers the tool counts.
 */

const run = promisify(execFile);
const N = 1500;
const ANSWER = 1400;
let dir: string;
let pcap: string;
let requestBytes: number;
let answerBytes: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'abuse-desk-reflection-'));
  pcap = join(dir, 'flood.pcap');
  const flood = dnsFlood({ n: N, gapUs: 1000, answerSize: ANSWER });
  ({ requestBytes, answerBytes } = flood);
  await writeFile(pcap, flood.cap.pcap());
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function check(events: NetEvent[]): void {
  expect(events.every((e) => e.kind === 'flow')).toBe(true);
  const fs = reflection.detect(makeContext({ events, accused: [US], targets: [THEM] }));
  expect(fs.map((f) => [f.id, f.leaning])).toEqual([['reflection-amplification', 'backscatter']]);
  const facts = fs[0].facts!;
  expect(facts).toMatchObject({ fromFlows: true, requestsSeen: true, requests: N, answers: N, port: 53 });
  expect(Number(facts.factor)).toBeCloseTo(answerBytes / requestBytes, 0);
  expect(fs[0].explanation).toContain('bytes of UDP payload, from the flow records');
}

describe('reflection-amplification from flow records', () => {
  it('argus and ra, per-direction counts', async () => {
    requireTool('argus');
    requireTool('ra');
    const out = join(dir, 'flood.argus');
    await run('argus', ['-X', '-S', '86400', '-r', pcap, '-w', out]);
    const text = (await run('ra', ['-X', '-n', '-u', '-r', out, '-s', 'stime', 'dur', 'proto', 'saddr', 'sport', 'dir', 'daddr', 'dport', 'spkts', 'dpkts', 'sbytes', 'dbytes', 'state'],
      { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } })).stdout;
    check(await readEvidence('argus.txt', text, { nearMs: T0 / 1000, zone: 'UTC' }));
  });

  it('softflowd to nfcapd, printed by nfdump: requests and answers in separate records', async () => {
    requireTool('softflowd');
    requireTool('nfdump');
    const { file, cleanup } = await cachedNfcapdFile(pcap, 10);
    try {
      check(await readEvidence('nfdump.txt', await nfdumpText(file, 'pipe'), { nearMs: T0 / 1000, zone: 'UTC' }));
    } finally {
      await cleanup();
    }
  });

  it('a Zeek conn.log row: orig is the forged requester, ip_bytes each way', async () => {
    const log = connLog([{ ts: T0 / 1e6, orig: THEM, origPort: 80, resp: US, respPort: 53, proto: 'udp', state: 'SF', history: 'Dd', service: 'dns',
      origPkts: N, respPkts: N, origIpBytes: requestBytes + 28 * N, respIpBytes: answerBytes + 28 * N, duration: N / 1000 }]);
    check(await readEvidence('conn.log', log, { nearMs: T0 / 1000, zone: 'UTC' }));
  });
});
