import { describe, expect, it } from 'vitest';
import { argusParser } from '../../../../analysis/ingest/text/argus';
import { corpus, fixture, iso, parseOne, readFile, readText } from './helpers';
import { fixtureTrio } from './junk';

describe('argus ra text', () => {
  it('reads default columns (time only: date from the reference, inferred)', async () => {
    const { events, summary } = await readFile(argusParser, fixture('argus', 'ra-default.txt'));
    expect(events).toHaveLength(11);
    const e = events[0];
    expect(e).toMatchObject({
      kind: 'flow', proto: 6, src: '192.168.1.10', sport: 35503, dst: '192.168.1.25', dport: 1723, ipVersion: 4, timeInferred: true,
      flow: { pktsOut: 2, pktsIn: 0, bytesOut: 118, bytesIn: 0, state: 'RST', direction: '->' },
      source: { file: 'ra-default.txt', line: 2 },
    });
    expect(iso(e.ts)).toBe('2024-01-15T18:58:34.958Z');
    expect(e.ts % 1_000_000).toBe(958375);
    expect(summary.timeInferred).toBe(true);
  });

  it('reads ra -u epoch times with per-direction counters and duration (exact time)', async () => {
    const { events } = await readFile(argusParser, fixture('argus', 'ra-long-epoch.txt'));
    expect(events[0]).toMatchObject({
      ts: 1231009114958375, src: '192.168.1.10', dst: '192.168.1.25', dport: 1723,
      flow: { pktsOut: 1, pktsIn: 1, bytesOut: 58, bytesIn: 60, state: 'RST', direction: '->', durationUs: 405 },
    });
    expect(events[0].timeInferred).toBeUndefined();
  });

  it('reads ra -c , output with its header', async () => {
    const { events } = await readFile(argusParser, fixture('argus', 'ra-csv.txt'));
    expect(events).toHaveLength(7);
    expect(events[0]).toMatchObject({ src: '192.168.1.10', sport: 35503, dst: '192.168.1.25', dport: 1723, flow: { pktsOut: 2, bytesOut: 118, state: 'RST' } });
  });

  it('reads a dated RA_TIME_FORMAT column', async () => {
    const { events } = await readFile(argusParser, fixture('argus', 'ra-date.txt'));
    expect(iso(events[0].ts)).toBe('2009-01-03T18:58:34.958Z');
    expect(events[0].timeInferred).toBe(true); // a date but no zone
  });

  it('reads IPv6 and ICMP type/code from the port columns', async () => {
    const { events } = await readFile(argusParser, fixture('argus', 'ra-ipv6.txt'));
    expect(events[0]).toMatchObject({ src: '2620:0:e00:400e:d1d:db37:beb:5aac', dst: '2001:4860:8006::63', ipVersion: 6, flow: { direction: '<->', state: 'ECO', pktsOut: 8 } });
    const icmp = parseOne(argusParser, '   16:51:58.358695  e          icmp        24.6.125.19.0x000a    ->          224.0.0.2.0x0000        2        120   RTS');
    expect(icmp).toMatchObject({ proto: 1, icmp: { type: 10, code: 0 }, src: '24.6.125.19', dst: '224.0.0.2' });
    expect(icmp?.sport).toBeUndefined();
  });

  it('joins the two-line records of seed 004 ("09 Jan 00", flags column, <| |> o> ?> markers)', async () => {
    const { events, diag } = await readFile(argusParser, fixture('argus', 'seed004-wrapped.txt'));
    expect(events).toHaveLength(34);
    expect(diag.weirds).toEqual([]);
    expect(events[0]).toMatchObject({
      src: '133.74.6.1', sport: 23, dst: '130.216.1.1', dport: 23, proto: 6, source: { line: 1 },
      flow: { direction: '<|', state: 'ER', pktsOut: 1, pktsIn: 1, bytesOut: 0, bytesIn: 0 },
    });
    expect(iso(events[0].ts)).toBe('2000-01-09T11:05:43.000Z');
    const dirs = new Set(events.map((e) => e.flow!.direction));
    expect([...dirs].sort()).toEqual(['->', '<|', 'o>']);
    const withData = events.find((e) => e.dport === 25 && e.flow!.bytesIn === 99);
    expect(withData?.flow).toMatchObject({ state: 'sSEF', pktsOut: 5, pktsIn: 5 });
  });

  it('parses every direction marker and state', () => {
    for (const dir of ['->', '<-', '<->', '<|', '|>', 'o>', '<o', '?>', '<?', '<?>']) {
      const e = parseOne(argusParser, `   18:58:34.958375  e           tcp       192.168.1.10.35503     ${dir}       192.168.1.25.1723          2        118   CON`);
      expect(e?.flow?.direction).toBe(dir);
      expect(e?.dport).toBe(1723);
    }
    const arp = parseOne(argusParser, '   16:51:53.605478  e           arp        24.6.125.19          who        24.6.125.19               3        180   INT');
    expect(arp).toMatchObject({ src: '24.6.125.19', dst: '24.6.125.19', flow: { direction: 'who', state: 'INT', pktsOut: 3 } });
  });

  it('reads ra JSON records and CSV from openargus', async () => {
    const json = await readFile(argusParser, corpus('argus', 'openargus__argus.out.json'));
    expect(json.diag.weirds).toEqual([]);
    expect(json.events[0]).toMatchObject({ src: '192.168.1.237', sport: 49477, dst: '224.0.0.251', dport: 5353, proto: 17, flow: { pktsOut: 2, bytesOut: 507, state: 'REQ', direction: '->' } });
    const csv = await readFile(argusParser, corpus('argus', 'openargus__argus.2024.01.09.csv'));
    expect(csv.events).toHaveLength(10968);
    expect(csv.events[0]).toMatchObject({ src: '192.168.1.108', sport: 58707, dst: '192.168.1.254', dport: 445, flow: { pktsOut: 12515309, pktsIn: 7693211, state: 'RST' } });
    expect(iso(csv.events[0].ts)).toBe('2024-01-09T17:09:04.266Z');
  });

  it('rolls time-only records past midnight onto the next day', async () => {
    const { events } = await readText(argusParser, [
      '   23:59:59.000000  e           udp       10.0.0.1.1000      ->        10.0.0.2.53          1         60   INT',
      '   00:00:01.000000  e           udp       10.0.0.1.1001      ->        10.0.0.2.53          1         60   INT',
    ].join('\n'));
    expect(events[1].ts - events[0].ts).toBe(2_000_000);
  });

  it('reports ra-truncated columns instead of inventing addresses', async () => {
    const { events, diag } = await readFile(argusParser, corpus('argus', 'generated__zeek_wikipedia_http.ra-default.txt'));
    const cut = events.find((e) => e.raw?.includes('fe80::217:f2ff:fe*'));
    expect(cut?.src).toBeUndefined();
    expect(cut?.dst).toBe('ff02::fb');
    expect(diag.counts.get('argus_truncated_field')).toBeGreaterThan(0);
  });

  it('scores headers as neutral and other formats as zero', () => {
    expect(argusParser.match('         StartTime      Flgs  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  TotPkts   TotBytes State ')).toBe(-1);
    expect(argusParser.match('18:58:34.958375 IP 192.168.1.10.35503 > 192.168.1.25.1723: Flags [S], seq 1, win 2048, length 0')).toBe(0);
    expect(argusParser.match('Mar 11 20:35:11 linux kernel: [463490.251762] DROP IN=eth1 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP')).toBe(0);
  });

  fixtureTrio(argusParser, 'argus', 'ra-default', 'txt', 11);
});
