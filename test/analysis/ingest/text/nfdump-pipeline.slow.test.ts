/**
 * The NetFlow evidence an ISP has, made for real: softflowd replays a corpus
 * capture as NetFlow v9 and as IPFIX to nfcapd on 127.0.0.1, and the nfcapd
 * file is read the way `abuse-desk` reads evidence (readEvidenceFile: nfcapd
 * magic, nfdump -o json, the nfdump text reader). Every TCP and UDP
 * conversation tshark lists must come back with the same packets each way
 * and the same first and last packet time (to nfdump's millisecond; softflowd
 * tracks a conversation as one flow and writes its span on the records of
 * both directions, so times are compared per conversation).
 *
 * Allowed for: softflowd may export one direction of a conversation as
 * several records (it reads a file without idle timeouts, but a TCP FIN or
 * RST can end a record before later packets), so records are summed per
 * direction; non-IP frames (ARP) are not flows. Nothing else: no packet may
 * be missing or extra.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../../analysis/events/event';
import { readEvidenceFile } from '../../../../services/io/read-file';
import { nfdumpText, replayToNfcapd, type NfcapdRun } from '../../../helpers/netflow';
import { tsharkAnswer } from '../../../helpers/tshark';
import { corpus } from './helpers';

const PCAP = corpus('pcap', 'zeek__wikipedia.pcap');
const runs: NfcapdRun[] = [];

afterAll(async () => {
  for (const r of runs) await rm(r.dir, { recursive: true, force: true });
});

interface Side { pkts: number; first: number; last: number }

const key = (proto: string, a: string, ap: number, b: string, bp: number): string => `${proto} ${a}:${ap} > ${b}:${bp}`;

/** Both directions under one name: the lower endpoint first. */
function conversation(k: string): string {
  const [proto, a, , b] = k.split(' ');
  return a < b ? `${proto} ${a} ${b}` : `${proto} ${b} ${a}`;
}

/** First and last time per conversation, from per-direction sides. */
function spans(m: Map<string, Side>): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const [k, s] of m) {
    const c = conversation(k);
    const o = out.get(c) ?? [Infinity, -Infinity];
    out.set(c, [Math.min(o[0], s.first), Math.max(o[1], s.last)]);
  }
  return out;
}

/** Packets and first/last time per direction, from the flow records. */
function fromFlows(events: NetEvent[]): Map<string, Side> {
  const m = new Map<string, Side>();
  for (const e of events) {
    const k = key(e.proto === 6 ? 'tcp' : e.proto === 17 ? 'udp' : String(e.proto), e.src!, e.sport!, e.dst!, e.dport!);
    const s = m.get(k) ?? { pkts: 0, first: Infinity, last: -Infinity };
    s.pkts += e.flow!.pktsOut;
    s.first = Math.min(s.first, e.ts);
    s.last = Math.max(s.last, e.ts + (e.flow!.durationUs ?? 0));
    m.set(k, s);
  }
  return m;
}

/** The same from tshark: its conversation table for the counts, its packets for the times (cut to milliseconds as NetFlow keeps them). */
async function fromTshark(): Promise<Map<string, Side>> {
  const { packets, conversations } = await tsharkAnswer(PCAP);
  const m = new Map<string, Side>();
  for (const c of conversations) {
    for (const [a, ap, b, bp, n] of [[c.a, c.aPort, c.b, c.bPort, c.framesAB], [c.b, c.bPort, c.a, c.aPort, c.framesBA]] as const) {
      if (n === 0) continue;
      const k = key(c.proto, a, ap, b, bp);
      const s = m.get(k) ?? { pkts: 0, first: Infinity, last: -Infinity };
      s.pkts += n;
      m.set(k, s);
    }
  }
  for (const p of packets) {
    const proto = p.proto === 6 ? 'tcp' : p.proto === 17 ? 'udp' : undefined;
    if (!proto || p.ts === undefined) continue;
    const s = m.get(key(proto, p.src!, p.sport!, p.dst!, p.dport!));
    if (!s) continue;
    const ms = Math.floor(p.ts / 1000) * 1000;
    s.first = Math.min(s.first, ms);
    s.last = Math.max(s.last, ms);
  }
  return m;
}

async function readFlows(file: string): Promise<{ events: NetEvent[]; format: string; warnings: string[]; error?: string }> {
  const events: NetEvent[] = [];
  const { summary, diag } = await readEvidenceFile(file, { onEvent: (e) => events.push(e) });
  return { events, format: summary.format, warnings: diag.messages(), error: summary.error };
}

describe('NetFlow from a real softflowd → nfcapd pipeline', () => {
  it.each([9, 10] as const)('NetFlow v%s: every TCP/UDP conversation of the capture, packet for packet', async (version) => {
    const r = await replayToNfcapd(PCAP, version);
    runs.push(r);
    expect(r.files).toHaveLength(1);
    // No export datagram was lost on the way.
    expect(r.exported).toBeGreaterThan(30);
    expect(r.stored).toBe(r.exported);

    const { events, format, error, warnings } = await readFlows(r.files[0]);
    expect(error).toBeUndefined();
    expect(format).toBe('nfcapd');
    expect(events).toHaveLength(r.stored);
    expect(warnings.join('\n')).toMatch(/read through "nfdump -r .* -o json"/);
    for (const e of events) {
      expect(e.kind).toBe('flow');
      expect(e.timeInferred).toBeUndefined();
      expect(e.flow!.totalsOnly).toBe(true);
    }
    const ours = fromFlows(events);
    const theirs = await fromTshark();
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [k, t] of theirs) expect({ k, pkts: ours.get(k)!.pkts }).toEqual({ k, pkts: t.pkts });
    const theirSpans = spans(theirs);
    for (const [c, span] of spans(ours)) expect({ c, span }).toEqual({ c, span: theirSpans.get(c) });
    // Cumulative flags: the client's side of a web conversation carried SYN, ACK and PSH.
    const web = events.find((e) => e.dport === 80 && e.flow!.pktsOut >= 4)!;
    expect(web.flow!.tcpFlags! & 0x1a).toBe(0x1a);
    expect(web.tcpFlags).toBeUndefined();
  });

  it('the csv export of the same file reads to the same conversations (times to the second, marked inferred)', async () => {
    const r = await replayToNfcapd(PCAP, 10);
    runs.push(r);
    const csvFile = join(r.dir, 'export.csv');
    await writeFile(csvFile, await nfdumpText(r.files[0], 'csv'));
    const csv = await readFlows(csvFile);
    const bin = await readFlows(r.files[0]);
    expect(csv.format).toBe('nfdump');
    expect(csv.events).toHaveLength(bin.events.length);
    const pk = (m: Map<string, Side>): Array<[string, number]> => [...m].map(([k, s]): [string, number] => [k, s.pkts]).sort();
    expect(pk(fromFlows(csv.events))).toEqual(pk(fromFlows(bin.events)));
    for (const e of csv.events) expect(e.timeInferred).toBe(true);
  });

  it('IPFIX biflows (softflowd -b) carry both directions in one record', async () => {
    const r = await replayToNfcapd(PCAP, 10, { softflowd: ['-b'] });
    runs.push(r);
    const { events } = await readFlows(r.files[0]);
    const both = events.filter((e) => !e.flow!.totalsOnly);
    expect(both.length).toBeGreaterThan(10);
    for (const e of both) expect(e.flow!.pktsIn).toBeGreaterThan(0);
    const theirs = await fromTshark();
    for (const e of both) {
      const k = key(e.proto === 6 ? 'tcp' : 'udp', e.src!, e.sport!, e.dst!, e.dport!);
      const back = key(e.proto === 6 ? 'tcp' : 'udp', e.dst!, e.dport!, e.src!, e.sport!);
      expect([e.flow!.pktsOut, e.flow!.pktsIn]).toEqual([theirs.get(k)?.pkts ?? 0, theirs.get(back)?.pkts ?? 0]);
    }
  });

  it('sampled NetFlow: nfcapd -s 10 scales the counts, and the records and warnings say so', async () => {
    const r = await replayToNfcapd(PCAP, 10, { softflowd: ['-s', '10'], nfcapd: ['-s', '10'] });
    runs.push(r);
    const { events, warnings } = await readFlows(r.files[0]);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.flow).toMatchObject({ sampled: true, samplingRate: 10 });
      expect(e.flow!.pktsOut % 10).toBe(0);
    }
    expect(warnings.join('\n')).toMatch(/1 in 10.*estimates/);
  });
});
