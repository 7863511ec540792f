import { describe, it } from 'vitest';
import type { Flow } from '../../../analysis/events/flow-table';
import { argusRecords } from '../../helpers/argus';
import { differentialSample } from '../../helpers/captures';
import { tsharkAnswer } from '../../helpers/tshark';
import { defineFlowDifferential, flowDifferential } from './flow-table-differential';
import { argusStateFor, compareTcpStates } from './flow-table-vs-argus';
import { compareConversations } from './flow-table-vs-tshark';

/**
 * Our FlowTable (as `inspect` feeds it) against real tools, on a sample of
 * captures (flow-table.differential.slow.test.ts runs every corpus capture):
 * conversations against tshark's `-z conv,tcp` / `-z conv,udp`, TCP state
 * against argus' `ra`. Where the tools define a thing differently, the rule
 * below maps one onto the other and the mapped values must be equal; nothing
 * is compared "roughly".
 *
 * tshark conversations (flow-table-vs-tshark.ts)
 * - Sides: tshark's A and our originator are both the sender of the
 *   conversation's first packet in file order (asserted equal).
 * - Bytes: both count the frame's length on the wire, link-layer header
 *   included (Ethernet 14, SLL 16, NFLOG's TLVs; the packet differential
 *   asserts our length equals frame.len per packet). tshark prints sizes from
 *   10,000 bytes in whole kB, truncated, and from 10,000 kB in whole MB; our
 *   count must lie in the range the printed size stands for (for a single
 *   conversation that is the same as printing ours the same way).
 * - Times: tshark prints the start relative to frame 1 (`%14.9f`) and the
 *   duration (`%12.4f`), both from doubles of nanosecond times. We print ours
 *   the same way (tshark-numbers.ts) and compare the text: the start exactly,
 *   the end at the 0.1 ms tshark prints. Our flow times are microseconds: in a
 *   nanosecond capture each stands for a 1 µs interval, and tshark's value must
 *   be what some time in it prints to.
 * - Port reuse: tshark splits a TCP 5-tuple into streams (a new tcp.stream
 *   when a SYN opens a new connection after the last one closed or was reset);
 *   we keep one conversation per 5-tuple for the whole capture. Ours is
 *   compared with the streams together: packets and bytes add up, the start is
 *   the first stream's, the end the latest stream end, the originator the
 *   first stream's A.
 * - Fragments: neither reassembles (tshark runs with ip/ipv6.defragment off).
 *   A first fragment counts under its ports in both; later fragments have no
 *   ports: we keep them in a per-protocol flow without ports, tshark in no
 *   TCP/UDP conversation, so port-less flows are not compared. A first
 *   fragment holding only part of the TCP header (nmap -f, a SYN split inside
 *   its options) is cut short in tshark's TCP dissector before its
 *   conversation tap ("Unreassembled Packet: TCP"); we keep it under its ports.
 *   Accepted only as a one-packet conversation whose frame tshark marks so.
 * - ICMP: in neither table. An ICMP error quoting a TCP/UDP header counts in
 *   no TCP/UDP conversation in either tool (ours files it under ICMP by
 *   address pair), so ICMP flows are not compared here.
 * - IPv6 type-0 routing header with segments left: tshark's endpoint is the
 *   route's final address (what the transport checksum covers, RFC 8200 §8.1),
 *   ours the destination in the IPv6 header. Compared with the final address
 *   as our responder; accepted for one-packet conversations.
 * - Packets without a time (pcapng Simple Packet Blocks): tshark places them
 *   at the epoch, our reader at the previous packet's time. Times of such
 *   conversations are not compared; tshark's start must be the epoch.
 *
 * argus TCP state (flow-table-vs-argus.ts)
 * - Ours: Zeek's conn_state derived from the history (S0 SYN unanswered,
 *   S1 established, SF both FINs, S2 one FIN, REJ SYN answered by RST, RSTO /
 *   RSTR reset by originator / responder after the handshake, RSTOS0 reset
 *   without a SYN-ACK, SH SYN-ACK without SYN, OTH midstream). argus (ra 3.0.8):
 *   REQ SYN seen, ACC SYN-ACK seen, CON ACK or data seen, FIN a FIN seen, RST a
 *   reset seen, CLO normal close (ra prints FIN for every closed corpus
 *   connection), INT/TIM for live or non-TCP records. ra prints the strongest
 *   of argus' accumulated status bits: RST > FIN > CON > ACC > REQ.
 * - Mapping: REJ, RSTO, RSTR, RSTOS0 -> RST; SF, S2 -> FIN; S1 -> CON once
 *   either side acknowledged or sent data, else ACC; S0 -> REQ, but FIN or CON
 *   when the originator went on with a FIN or an ACK without any reply (Zeek
 *   keeps S0, argus moves on); SH, OTH -> FIN if a FIN was seen, ACC for a
 *   lone SYN-ACK, else CON.
 * - Records: argus ends a record on a new SYN after a reset or close (port
 *   reuse) and keeps a loopback conversation (same address both ends) as two
 *   one-way records; all records of a 5-tuple are combined by the same
 *   precedence, as our history is over the whole 5-tuple. argus runs with -X
 *   (no /etc/argus.conf: its 5 s status interval would cut records) and
 *   -S 86400.
 * - A first packet with a flag set argus' state machine does not name (SYN+FIN,
 *   FIN+PSH+URG: scanner probes) falls to its default case and records CON,
 *   where the letters say REQ or FIN.
 * - argus reads nothing from NFLOG and LINUX_SLL2 captures ("unsupported
 *   device type") nor from a pcapng whose interfaces have different link
 *   types (libpcap refuses it), and stops at a later pcapng section in the
 *   other byte order; a first fragment with part of a TCP header is filed
 *   without ports (0/0). argus adds later fragments to the first fragment's
 *   flow; its packet counts are not compared.
 */

defineFlowDifferential('FlowTable agrees with tshark and argus (unit sample)', differentialSample.map((s) => s.file));

const sample = (name: string): string => differentialSample.find((s) => s.file.endsWith(name))!.file;

describe('the flow differential rules are exercised by the sample', () => {
  it('port reuse: a 5-tuple with three SYN/RST connections is one flow of ours, three tshark streams', async ({ expect }) => {
    const answer = await tsharkAnswer(sample('ppa__evilprogram.pcap'));
    const streams = answer.conversations.filter((c) => c.a === '65.206.44.81' && c.aPort === 7951);
    expect(streams).toHaveLength(3);
    const d = await flowDifferential(sample('ppa__evilprogram.pcap'));
    const ours = d.flows.filter((f) => f.origPort === 7951 && f.orig === '65.206.44.81');
    expect(ours.map((f) => [f.pktsOrig, f.pktsResp, f.history])).toEqual([[3, 3, 'Sr']]);
  });

  it('only the stated rules let a conversation go unmatched', async ({ expect }) => {
    const explained = { tshark: [] as string[], argus: [] as string[] };
    for (const s of differentialSample) {
      const d = await flowDifferential(s.file);
      explained.tshark.push(...d.conversations.explained);
      explained.argus.push(...d.states.explained);
    }
    expect(explained).toEqual({
      tshark: [
        "tcp 192.168.1.100:12345 -> 10.0.0.5:80: frame 1: TCP header incomplete (tshark: cut in TCP), not in tshark's table",
        "udp 2200::244:212:3fff:feae:22f7:5645 -> 2200::240:2:0:0:4:5642: frame 3: routing header, tshark's endpoint is the final address 2200::210:2:0:0:4",
        "udp 2200::244:212:3fff:feae:22f7:5645 -> 2200::211:2:0:0:2:5642: frame 4: routing header, tshark's endpoint is the final address 2200::240:2:0:0:4",
      ],
      argus: [
        '10.234.0.239:1793 -> 10.234.2.116:4444: starts in pcapng section 2, where argus (libpcap) stopped reading',
        '131.155.215.69:46656 -> 137.116.81.94:80: starts in pcapng section 2, where argus (libpcap) stopped reading',
      ],
    });
  });

  it('the sample exercises the state mapping for closed, reset, refused, half-open and established connections', async ({ expect }) => {
    const pairs = new Map<string, number>();
    for (const s of differentialSample) {
      for (const [k, n] of (await flowDifferential(s.file)).states.pairs) pairs.set(k, (pairs.get(k) ?? 0) + n);
    }
    for (const pair of ['SF -> FIN', 'RSTR -> RST', 'REJ -> RST', 'S0 -> REQ', 'S1 -> CON', 'OTH -> CON']) {
      expect(pairs.get(pair), pair).toBeGreaterThan(0);
    }
  });
});

describe('the flow differential can fail', () => {
  const file = sample('zeek__ftp_bruteforce.pcap');
  const altered = async (change: (f: Flow) => Flow): Promise<string[]> => {
    const d = await flowDifferential(file);
    const flows = d.flows.map((f, i) => (i === 0 ? change({ ...f }) : f));
    return compareConversations(flows, await tsharkAnswer(file)).problems;
  };

  it('notices one packet, one byte, a microsecond of start, 0.1 ms of end and a swapped originator', async ({ expect }) => {
    expect(await altered((f) => f)).toEqual([]);
    expect((await altered((f) => ({ ...f, pktsResp: f.pktsResp - 1 })))[0]).toMatch(/packets ours/);
    expect((await altered((f) => ({ ...f, bytesOrig: f.bytesOrig + 1 })))[0]).toMatch(/bytes from orig/);
    expect((await altered((f) => ({ ...f, firstTs: f.firstTs + 1 }))).join()).toMatch(/start: ours/);
    expect((await altered((f) => ({ ...f, lastTs: f.lastTs + 100 })))[0]).toMatch(/duration: ours/);
    expect((await altered((f) => ({ ...f, orig: f.resp, origPort: f.respPort, resp: f.orig, respPort: f.origPort })))[0]).toMatch(/originator/);
  });

  it('notices a state argus does not share', async ({ expect }) => {
    const d = await flowDifferential(file);
    const records = await argusRecords(file);
    const packets = (await tsharkAnswer(file)).packets;
    expect(compareTcpStates(d.flows, records, packets, d.summary.linkTypes).problems).toEqual([]);
    // The first session without its FINs would be S1 -> CON; argus says FIN.
    const flows = d.flows.map((f, i) => (i === 0 ? { ...f, history: f.history.replace(/[Ff]/g, '') } : f));
    expect(compareTcpStates(flows, records, packets, d.summary.linkTypes).problems).toEqual([
      expect.stringMatching(/ours S1 \S+ maps to CON, argus FIN/),
    ]);
  });

  it('maps each of our states, with the history that decides between two, to one argus state', ({ expect }) => {
    const table: Array<[string, string, string]> = [
      ['S0', 'S', 'REQ'], ['S0', 'SA', 'CON'], ['S0', 'SF', 'FIN'],
      ['S1', 'Sh', 'ACC'], ['S1', 'ShA', 'CON'], ['SF', 'ShADadFf', 'FIN'], ['S2', 'ShADadF', 'FIN'],
      ['REJ', 'Sr', 'RST'], ['RSTO', 'ShAR', 'RST'], ['RSTR', 'ShAr', 'RST'], ['RSTOS0', 'SR', 'RST'],
      ['SH', 'Ah', 'CON'], ['OTH', 'H', 'ACC'], ['OTH', 'DdA', 'CON'], ['OTH', 'F', 'FIN'], ['OTH', '', 'CON'],
    ];
    expect(table.map(([state, history]) => argusStateFor(state, history))).toEqual(table.map(([, , argus]) => argus));
  });
});
