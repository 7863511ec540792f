import { describe, expect, it } from 'vitest';
import { flowSessions, type FlowSession } from '../../../analysis/detect/flow-sessions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../helpers/paths';
import { readEvidence, readFixture } from './evidence';
import { connLog } from './zeek-log';

const view = (s: FlowSession): [string, string, number | undefined, boolean | undefined, boolean] =>
  [s.client, s.server, s.serverPort, s.answered, s.established];
const HEADER = '         StartTime      Flgs  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  TotPkts   TotBytes State ';
const raLine = (proto: string, sport: number, dport: number, pkts: number, state: string): string =>
  `   00:40:00.000000  e     ${proto.padStart(9)}      198.51.100.7.${String(sport).padEnd(6)}     ->        192.0.2.10.${String(dport).padEnd(6)}${String(pkts).padStart(6)}${String(pkts * 60).padStart(11)}   ${state}`;

describe('flowSessions: argus default states (ra TotPkts, totals only)', () => {
  it.each([
    // state, answered, established (ra(1) state: REQ requested, ACC accepted, CON/EST established, FIN/CLO closed, RST reset, TIM/INT no answer)
    ['REQ', false, false], ['ACC', true, false], ['CON', true, true], ['EST', true, true], ['FIN', true, true],
    ['CLO', true, true], ['RST', true, false], ['TIM', false, false], ['INT', false, false],
  ] as const)('tcp %s: answered %s, established %s', async (state, answered, established) => {
    const [s] = flowSessions(await readEvidence('ra.txt', `${HEADER}\n${raLine('tcp', 40000, 80, 2, state)}\n`));
    expect(view(s)).toEqual(['198.51.100.7', '192.0.2.10', 80, answered, established]);
    expect(s.ev.source).toMatchObject({ file: 'ra.txt', line: 2 });
  });

  it.each([['CON', true, true], ['INT', false, false]] as const)('udp %s: answered %s, established %s', async (state, answered, established) => {
    const [s] = flowSessions(await readEvidence('ra.txt', `${HEADER}\n${raLine('udp', 5353, 53, 1, state)}\n`));
    expect(view(s)).toEqual(['198.51.100.7', '192.0.2.10', 53, answered, established]);
  });

  it('web-flood.ra-default.txt: ACC for each forged SYN answered by a SYN-ACK, FIN for the real client', async () => {
    const sessions = flowSessions(await readFixture('argus/web-flood.ra-default.txt'));
    expect(sessions).toHaveLength(34);
    const byState = (c: string): Array<[boolean | undefined, boolean]> => [...new Set(sessions.filter((s) => s.client === c).map((s) => JSON.stringify([s.answered, s.established])))].map((x) => JSON.parse(x));
    expect(byState('192.0.2.66')).toEqual([[true, false]]);
    expect(byState('192.0.2.200')).toEqual([[true, true]]);
  });
});

describe('flowSessions: ra -Z b flag states (real ra output from the corpus)', () => {
  it.each([
    // file, state, answered, established
    ['generated__evilfingers_syn_scan.ra-long.txt', 'S_RA', true, false],
    ['generated__evilfingers_syn_scan.ra-long.txt', 'SR_SA', true, false],
    ['generated__evilfingers_syn_scan.ra-long.txt', 'S_', false, false],
    ['generated__zeek_wikipedia_http.ra-long.txt', 'SPA_*', true, true],
    ['generated__zeek_ftp_bruteforce.ra-long.txt', 'FSPA*', true, true],
    ['generated__evilfingers_xmas_scan.ra-long.txt', 'FPU_*', true, false],
  ] as const)('%s: %s is answered %s, established %s', async (file, state, answered, established) => {
    const text = readFileSync(join(corpusDir, 'argus', file), 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.trimEnd().endsWith(` ${state}`) && / tcp /.test(l));
    expect(at).toBeGreaterThan(0);
    const [s] = flowSessions(await readEvidence(file, `${lines[0]}\n${lines[at]}\n`));
    expect([s.ev.flow?.state, s.answered, s.established]).toEqual([state, answered, established]);
  });

  it('with the column wide enough both sides show: S_SA is a SYN answered, FSPA_FSPA a whole session', async () => {
    const text = [
      '         StartTime  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  SrcPkts  DstPkts            State ',
      ' 1766018400.005000    tcp         192.0.2.66.40001     ->      198.51.100.80.80            1        1             S_SA',
      ' 1766018401.000000    tcp        192.0.2.200.51000     ->      198.51.100.80.80            5        3        FSPA_FSPA',
      ' 1766018402.000000    tcp        192.0.2.201.51001     ->      198.51.100.80.80            2        0               S_',
    ].join('\n');
    const sessions = flowSessions(await readEvidence('wide.txt', `${text}\n`));
    expect(sessions.map((s) => [s.client, s.answered, s.established])).toEqual([
      ['192.0.2.66', true, false], ['192.0.2.200', true, true], ['192.0.2.201', false, false],
    ]);
  });
});

describe('flowSessions: seed 004 letter states', () => {
  it.each([
    // The patched ra of seed 004: s SYN, S SYN-ACK, E established, F FIN, C closed, R reset.
    ['s', false, false], ['sS', true, false], ['sSE', true, true], ['sSEFC', true, true], ['F', false, false], ['ER', true, true],
  ] as const)('%s: answered %s, established %s', async (state, answered, established) => {
    // Counters as the seed prints them (packets and bytes each way); nothing came back unless the state says so.
    const back = answered ? 1 : 0;
    const text = `09 Jan 00 11:05:43      tcp      133.74.6.1.1023  ->\n130.216.1.1.23    1      ${back}       0         0        ${state}\n`;
    const [s] = flowSessions(await readEvidence('seed004.txt', text));
    expect([s.client, s.server, s.serverPort, s.answered, s.established]).toEqual(['133.74.6.1', '130.216.1.1', 23, answered, established]);
  });
});

describe('flowSessions: Zeek conn_state and history', () => {
  it.each([
    ['S0', 'S', 1, 0, false, false], ['REJ', 'Sr', 1, 1, true, false], ['OTH', 'Sh', 1, 1, true, false], ['SF', 'ShADadFf', 6, 4, true, true],
    ['S1', 'ShADad', 4, 3, true, true], ['RSTO', 'ShADadR', 5, 3, true, true], ['RSTR', 'ShADadr', 5, 3, true, true],
    ['SH', 'SADF', 4, 0, true, true], ['S0', 'SAD', 3, 0, false, true],
  ] as const)('tcp %s "%s": answered %s, established %s', async (state, history, origPkts, respPkts, answered, established) => {
    const log = connLog([{ ts: 1766018400, orig: '192.0.2.10', origPort: 40000, resp: '198.51.100.7', respPort: 22, state, history, origPkts, respPkts }]);
    const [s] = flowSessions(await readEvidence('conn.log', log));
    expect(view(s)).toEqual(['192.0.2.10', '198.51.100.7', 22, answered, established]);
    expect(s.ev.source.line).toBe(9);
  });

  it('udp: SF "Dd" is answered, S0 "D" is not', async () => {
    const log = connLog([
      { ts: 1766018400, orig: '192.0.2.10', origPort: 5353, resp: '198.51.100.53', respPort: 53, proto: 'udp', state: 'SF', history: 'Dd', origPkts: 1, respPkts: 1 },
      { ts: 1766018401, orig: '192.0.2.10', origPort: 5354, resp: '198.51.100.53', respPort: 53, proto: 'udp', state: 'S0', history: 'D', origPkts: 1, respPkts: 0 },
    ]);
    expect(flowSessions(await readEvidence('conn.log', log)).map((s) => [s.proto, s.serverPort, s.answered])).toEqual([[17, 53, true], [17, 53, false]]);
  });

  it('packets are no flow records', async () => {
    expect(flowSessions(await readFixture('pcap/web-flood.pcap'))).toEqual([]);
  });
});
