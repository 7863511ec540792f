import { describe, expect, it } from 'vitest';
import { impossibleSource } from '../../../analysis/detect/impossible-source';
import type { Activity } from '../../../analysis/complaint/complaint';
import { makeContext } from '../../helpers/context';
import { tcpFrame, udpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';
import { corpusContext } from './corpus';
import { readEvidence } from './evidence';

const THEM = '192.0.2.66';
const T = Date.UTC(2025, 11, 18, 0, 40, 0) * 1000;
const MAC_A = '00:0c:29:aa:bb:cc';
const MAC_B = '00:0c:29:dd:ee:ff';

/** RST-ACKs "from" 127.0.0.1:80, as Blaster-infected hosts on the complainant's LAN put them on the wire. */
function blasterFrames(macs: string[]): Frame[] {
  return macs.map((mac, i) => ({ ts: T + i * 1000, data: tcpFrame({ src: '127.0.0.1', dst: THEM, sport: 80, dport: 1042 + i, flags: 'RA', srcMac: mac }) }));
}

describe('impossible-source on captures', () => {
  it('loopback RSTs from port 80: the Blaster artefact, and the MAC addresses that sent them', async () => {
    const events = await readEvidence('lan.pcap', writePcap(blasterFrames([MAC_A, MAC_A, MAC_B, MAC_A, MAC_B])));
    const [f, ...rest] = impossibleSource.detect(makeContext({ events, accused: ['127.0.0.1'], targets: [THEM] }));
    expect(rest).toEqual([]);
    expect(f.leaning).toBe('backscatter');
    expect(f.facts).toEqual({ address: '127.0.0.1', loopback: true, macs: [MAC_A, MAC_B], packets: 5, rsts: 5, sourcePorts: [80] });
    expect(f.summary).toBe('The reported source 127.0.0.1 is a loopback address: no packet from it can cross the Internet, so no ISP sent it; it was produced on your own network segment.');
    expect(f.explanation).toContain('RSTs from 127.0.0.1 port 80 are the known Blaster (W32.Blaster) artefact: an infected host sends a SYN with a forged source '
      + 'to "windowsupdate.com" resolved to 127.0.0.1, its own stack answers with a RST');
    // The mechanism, not just the name: the complainant must see why their own host sends it.
    expect(f.explanation).toContain('its own stack answers with a RST, and that RST leaves the host towards the forged address');
    expect(f.explanation).toContain(`source MAC addresses ${MAC_A}, ${MAC_B}. Look them up in your switch's MAC address table (e.g. "show mac address-table address ${MAC_A}")`);
    expect(f.evidence.map((e) => [e.file, e.packet])).toEqual([1, 2, 3, 4, 5].map((p) => ['lan.pcap', p]));
    expect(f.strength).toBe(0.9);
  });

  it('one MAC address is "it"; loopback traffic that is not RSTs from port 80 is no Blaster', async () => {
    const frames: Frame[] = [1, 2, 3].map((i) => ({ ts: T + i * 1000, data: udpFrame({ src: '127.0.0.1', dst: THEM, sport: 53, dport: 5000 + i, srcMac: MAC_A }) }));
    const [f] = impossibleSource.detect(makeContext({ events: await readEvidence('lan.pcap', writePcap(frames)), accused: ['127.0.0.1'], targets: [THEM] }));
    expect(f.facts).toMatchObject({ macs: [MAC_A], packets: 3, rsts: 0, sourcePorts: [53] });
    expect(f.explanation).toBe(`Your capture shows who put them on the wire: source MAC address ${MAC_A}. Look it up in your switch's MAC address table (e.g. "show mac address-table address ${MAC_A}") to find the port and the infected machine.`);
    // RSTs, but from another port: still no Blaster sentence.
    const other = [1, 2].map((i) => ({ ts: T + i * 1000, data: tcpFrame({ src: '127.0.0.1', dst: THEM, sport: 81, dport: 5000 + i, flags: 'RA', srcMac: MAC_A }) }));
    const [g] = impossibleSource.detect(makeContext({ events: await readEvidence('lan.pcap', writePcap(other)), accused: ['127.0.0.1'], targets: [THEM] }));
    expect(g.facts).toMatchObject({ rsts: 2, sourcePorts: [81] });
    expect(g.explanation).not.toContain('Blaster');
  });

  it('one such RST is enough to name Blaster', async () => {
    const events = await readEvidence('lan.pcap', writePcap(blasterFrames([MAC_A])));
    const [f] = impossibleSource.detect(makeContext({ events, accused: ['127.0.0.1'], targets: [THEM] }));
    expect(f.facts).toMatchObject({ packets: 1, rsts: 1 });
    expect(f.explanation).toContain('Blaster');
  });

  it('quotes at most 8 of the packets: first, last and evenly between', async () => {
    const events = await readEvidence('lan.pcap', writePcap(blasterFrames(Array(20).fill(MAC_A))));
    const [f] = impossibleSource.detect(makeContext({ events, accused: ['127.0.0.1'], targets: [THEM] }));
    expect(f.facts).toMatchObject({ packets: 20, rsts: 20 });
    expect(f.evidence.map((e) => e.packet)).toEqual([1, 4, 6, 9, 12, 15, 17, 20]);
  });
});

describe('impossible-source on the complaint alone', () => {
  it('the firewall log lines they quote are the evidence; without a MAC we ask for one', async () => {
    const log = [1042, 1043, 1044].map((p, i) => `Dec 18 00:40:0${i} gw kernel: [1234.5${i}] DROP IN=eth0 OUT= SRC=127.0.0.1 DST=${THEM} LEN=40 TOS=0x00 PREC=0x00 TTL=128 ID=${i + 1} PROTO=TCP SPT=80 DPT=${p} WINDOW=0 RES=0x00 ACK RST URGP=0`).join('\n');
    const quotedEvents = await readEvidence('complaint.txt', `${log}\n`);
    const ctx = makeContext({ events: [], accused: [], targets: [THEM], complaint: { accused: ['127.0.0.1'], quotedEvents } });
    const [f] = impossibleSource.detect(ctx);
    expect(f.facts).toEqual({ address: '127.0.0.1', loopback: true, macs: [], packets: 3, rsts: 3, sourcePorts: [80] });
    expect(f.explanation).toContain('Blaster');
    expect(f.explanation).toContain('Only the link layer can tell who sent such packets');
    expect(f.evidence.map((e) => [e.file, e.line])).toEqual([['complaint.txt', 1], ['complaint.txt', 2], ['complaint.txt', 3]]);
  });

  it.each([
    ['10.1.2.3', 'private (RFC 1918): not routable on the Internet'],
    ['100.64.0.9', 'carrier-grade NAT space (RFC 6598): not routable on the Internet'],
    ['0.0.0.0', 'unspecified ("this network"): not a valid source on the Internet'],
    ['224.0.0.9', 'multicast: not a single host'],
  ])('%s across the Internet: %s', (addr, reason) => {
    const [f] = impossibleSource.detect(makeContext({ events: [], accused: [addr], targets: [THEM] }));
    expect(f.summary).toBe(`The reported source ${addr} is ${reason}, so the packets cannot have come from our network across the Internet; they were produced inside yours.`);
    expect(f.facts).toMatchObject({ address: addr, loopback: false, packets: 0 });
    expect(f.strength).toBe(0.7);
  });

  it('a private source complained about by a private peer is an internal matter, not impossible', () => {
    expect(impossibleSource.detect(makeContext({ events: [], accused: ['10.1.2.3'], targets: ['10.1.2.4'] }))).toEqual([]);
    expect(impossibleSource.detect(makeContext({ events: [], accused: ['198.51.100.7'], targets: [THEM] }))).toEqual([]);
  });

  it.each<[Activity, boolean]>([
    ['port-scan', true], ['sweep', true], ['flood', true], ['brute-force', true], ['worm', true], ['spam', false], ['other', false],
  ])('a %s complaint: %s', (activity, speaks) => {
    const ctx = makeContext({ events: [], accused: ['127.0.0.1'], targets: [THEM], complaint: { activity } });
    expect(impossibleSource.detect(ctx).length).toBe(speaks ? 1 : 0);
  });
});

describe('impossible-source on real captures', () => {
  it('Zeek trace on a loopback link: three UDP datagrams from 127.0.0.1, no link-layer addresses to name', async () => {
    const [f] = impossibleSource.detect(await corpusContext('pcap/zeek__udp-multiple-source-ports.pcap', ['127.0.0.1'], [THEM]));
    expect(f.facts).toMatchObject({ address: '127.0.0.1', loopback: true, macs: [], packets: 3, rsts: 0 });
    expect((f.facts!.sourcePorts as number[]).length).toBe(3);
    expect(f.explanation).toContain('please look at the source MAC address of these frames');
  });
});
