/**
 * nfdump's text exports, each made by the installed nfdump from one real
 * nfcapd file (an IPFIX replay of a corpus capture, cached by capture hash
 * and tool versions), read back to the same records as its JSON export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../../analysis/events/event';
import { sniffFormat } from '../../../../analysis/ingest/ingest';
import { nfdumpFlags, nfdumpParser } from '../../../../analysis/ingest/text/nfdump';
import { cachedNfcapdFile, nfdumpText } from '../../../helpers/netflow';
import { corpus, iso, parseOne, readText } from './helpers';

let nf: { file: string; cleanup: () => Promise<void> };
let reference: NetEvent[];

beforeAll(async () => {
  nf = await cachedNfcapdFile(corpus('pcap', 'zeek__wikipedia.pcap'), 10);
  reference = (await readText(nfdumpParser, await nfdumpText(nf.file, 'json'))).events;
}, 30_000);

afterAll(async () => {
  await nf?.cleanup();
});

/** What every layout must agree on, per record, in nfdump's record order. */
const basics = (e: NetEvent): string => `${e.proto} ${e.src ?? '?'}:${e.sport} > ${e.dst ?? '?'}:${e.dport} ${e.flow!.pktsOut}p ${e.flow!.bytesOut}B`;

describe('nfdump text exports of a real nfcapd file', () => {
  it('the file has nfcapd magic and the JSON export holds its records', () => {
    expect(reference.length).toBeGreaterThan(40);
    expect(reference.some((e) => e.ipVersion === 6)).toBe(true);
    const web = reference.find((e) => e.dport === 80 && e.flow!.pktsOut >= 4)!;
    expect(web.flow).toMatchObject({ totalsOnly: true, pktsIn: 0, tos: 0 });
    expect(web.flow!.tcpFlags! & 0x1a).toBe(0x1a);
    expect(web.flow!.durationUs).toBeGreaterThan(0);
  });

  it.each(['line', 'long', 'extended', 'long6', 'extended6', 'pipe', 'csv'])('-o %s is sniffed as nfdump and gives the same records', async (mode) => {
    const text = await nfdumpText(nf.file, mode);
    expect(sniffFormat(new TextEncoder().encode(text).subarray(0, 65536))?.format).toBe('nfdump');
    const { events, diag } = await readText(nfdumpParser, text);
    expect(events).toHaveLength(reference.length);
    const shortened = /^(?:line|long|extended)$/.test(mode);
    // Without the 6 suffix nfdump cuts IPv6 addresses longer than 16 characters to "fe80::2..d7:cf65": unknown, not wrong.
    const cut = (a: string | undefined): string | undefined => (shortened && a && a.length > 16 ? undefined : a);
    const want = reference.map((e) => basics({ ...e, src: cut(e.src), dst: cut(e.dst) }));
    expect(events.map(basics)).toEqual(want);
    if (shortened) expect(diag.weirds.map((w) => w.code)).toContain('nfdump_short_ipv6');
    for (const [i, e] of events.entries()) {
      const r = reference[i];
      // csv prints times to the second; the others to nfdump's millisecond.
      expect(e.ts).toBe(mode === 'csv' ? Math.floor(r.ts / 1e6) * 1e6 : r.ts);
      expect(e.flow!.durationUs).toBe(r.flow!.durationUs);
      if (mode !== 'line') expect(e.flow!.tcpFlags).toBe(r.flow!.tcpFlags);
      // pipe carries epoch milliseconds: exact; the rest are local times without a zone.
      expect(e.timeInferred).toBe(mode === 'pipe' ? undefined : true);
    }
  });

  it('the NSEL build default layout: bytes per record, and warnings that times and packets are missing', async () => {
    const text = await nfdumpText(nf.file);
    const { events, diag } = await readText(nfdumpParser, text);
    expect(events).toHaveLength(reference.length);
    if (/^Event time/m.test(text)) {
      expect(events.map((e) => e.flow!.bytesOut)).toEqual(reference.map((e) => e.flow!.bytesOut));
      expect(diag.weirds.map((w) => w.code)).toEqual(expect.arrayContaining(['nfdump_no_packets', 'nfdump_no_time']));
    } else {
      // A build without NSEL prints the line layout by default.
      expect(events.map((e) => e.flow!.pktsOut)).toEqual(reference.map((e) => e.flow!.pktsOut));
    }
  });
});

describe('nfdump lines as other versions and options write them', () => {
  it('reads 1.6 durations in seconds, ICMP type.code, rounded counts and "<->" totals', async () => {
    const text = [
      'Date first seen          Duration Proto      Src IP Addr:Port          Dst IP Addr:Port   Packets    Bytes Flows',
      '2009-09-02 10:19:52.123     1.500 TCP      192.0.2.10:51234 ->     198.51.100.7:22          12     1840     1',
      '2009-09-02 10:19:53.000     0.000 ICMP     192.0.2.10:0     ->     198.51.100.7:8.0          1       84     1',
      '2009-09-02 10:19:54.000    60.000 UDP      192.0.2.10:53    <->    198.51.100.7:5353     1.2 M    1.5 G     3',
    ].join('\n');
    const { events, diag } = await readText(nfdumpParser, `${text}\n`);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ proto: 6, src: '192.0.2.10', sport: 51234, dst: '198.51.100.7', dport: 22, flow: { pktsOut: 12, bytesOut: 1840, durationUs: 1_500_000 } });
    expect(iso(events[0].ts)).toBe('2009-09-02T10:19:52.123Z');
    expect(events[1]).toMatchObject({ proto: 1, icmp: { type: 8, code: 0 } });
    expect(events[1].dport).toBeUndefined();
    expect(events[2]).toMatchObject({ flow: { pktsOut: 1_200_000, bytesOut: 1_500_000_000, direction: '<->', totalsOnly: true }, message: '3 flows aggregated by nfdump' });
    expect(diag.weirds.map((w) => w.code)).toContain('nfdump_rounded_counts');
  });

  it('reads a headerless csv row with a biflow, ICMP as type * 256 + code, and a day-long duration', () => {
    const row = '2024-01-15 11:00:00,2024-01-15 11:00:02,2.000,192.0.2.1,192.0.2.2,40000,443,TCP,...AP.SF,0,16,10,900,8,6000,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00';
    expect(parseOne(nfdumpParser, row)).toMatchObject({
      proto: 6, sport: 40000, dport: 443, flow: { pktsOut: 10, bytesOut: 900, pktsIn: 8, bytesIn: 6000, tos: 16, tcpFlags: 0x1b, durationUs: 2_000_000 },
    });
    expect(parseOne(nfdumpParser, row)!.flow!.totalsOnly).toBeUndefined();
    const icmp = parseOne(nfdumpParser, row.replace(',40000,443,TCP,', ',0,771,ICMP,'));
    expect(icmp).toMatchObject({ proto: 1, icmp: { type: 3, code: 3 } });
    const long = parseOne(nfdumpParser, '2024-01-15 11:00:00.000  1d 02:03:04.500 TCP    192.0.2.1:40000 ->      192.0.2.2:443   ....A...   0        5      300     1');
    expect(long!.flow!.durationUs).toBe(((26 * 60 + 3) * 60 + 4.5) * 1e6);
  });

  it('reads flag strings of both generations and hex', () => {
    expect(nfdumpFlags('.AP.SF')).toBe(0x1b);
    expect(nfdumpFlags('...AP.S.')).toBe(0x1a);
    expect(nfdumpFlags('CE......')).toBe(0xc0);
    expect(nfdumpFlags('0x52')).toBe(0x52);
    expect(nfdumpFlags('........')).toBe(0);
  });

  it('marks sampled JSON records and says their counts are estimates', async () => {
    const rec = '{ "type" : "FLOW", "sampled" : 1, "first" : "2024-01-15T11:00:00.250", "last" : "2024-01-15T11:00:00.750", "in_packets" : 100, "in_bytes" : 6000, "proto" : 17, "src_port" : 5000, "dst_port" : 53, "src4_addr" : "192.0.2.1", "dst4_addr" : "192.0.2.2" }';
    const { events, diag } = await readText(nfdumpParser, `[\n${rec}\n]\n`);
    expect(events[0]).toMatchObject({ proto: 17, dport: 53, flow: { sampled: true, pktsOut: 100, durationUs: 500_000 } });
    expect(diag.weirds.map((w) => w.code)).toContain('nfdump_sampled');
  });
});
