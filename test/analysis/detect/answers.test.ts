import { describe, expect, it } from 'vitest';
import { icmpBackscatter } from '../../../analysis/detect/icmp-backscatter';
import { impossibleSource } from '../../../analysis/detect/impossible-source';
import { serverAnswering } from '../../../analysis/detect/server-answering';
import { synfloodBackscatter } from '../../../analysis/detect/synflood-backscatter';
import { makeContext } from '../../helpers/context';
import { tcp } from '../../helpers/events';
import { corpusContext } from './corpus';

/**
 * The detectors that recognise answers rather than probes, on real captures
 * they were not written against: a web browsing session, nmap scans seen
 * from the scanned host's side, Internet background radiation.
 */
describe('answer detectors on real captures', () => {
  it('server-answering: Wikipedia servers answering a browser are servers, with the HTTP requests as proof', async () => {
    const ctx = await corpusContext('pcap/zeek__wikipedia.pcap', ['208.80.152.3'], ['141.142.220.118']);
    const [f] = serverAnswering.detect(ctx);
    expect(f.leaning).toBe('legitimate');
    expect(f.facts).toMatchObject({ tcpSessions: 6, handshakes: 6, answeredShare: 100 });
    expect(Number(f.facts!.httpRequests)).toBeGreaterThanOrEqual(12);
    expect(f.summary).toMatch(/141\.142\.220\.118 opened 6 TCP connections to 208\.80\.152\.3 port 80/);
    expect(synfloodBackscatter.detect(ctx)).toEqual([]);
  });

  it('server-answering: a browser is not a server for the sites it visits', async () => {
    const ctx = await corpusContext('pcap/zeek__wikipedia.pcap', ['141.142.220.118'], ['208.80.152.3']);
    expect(serverAnswering.detect(ctx)).toEqual([]);
  });

  it('synflood-backscatter: the scanned host only answered the scanner (nmap SYN scan, target side)', async () => {
    const ctx = await corpusContext('pcap/evilfingers__TCP_SYN_SCAN.pcap', ['192.168.1.25'], ['192.168.1.10']);
    const f = synfloodBackscatter.detect(ctx).find((x) => x.id === 'backscatter-to-complainant');
    expect(f?.facts).toMatchObject({ provoked: f?.facts?.answers, rsts: expect.any(Number) });
    expect(Number(f!.facts!.answers)).toBeGreaterThan(990);
    // One scanner is not a flood: no flood finding, so the strength stays moderate.
    expect(synfloodBackscatter.detect(ctx).some((x) => x.id === 'inbound-syn-flood')).toBe(false);
    expect(serverAnswering.detect(ctx)).toEqual([]);
  });

  it('icmp-backscatter: port-unreachable answers to a UDP scan quote the scanner as source', async () => {
    const ctx = await corpusContext('pcap/evilfingers__UDP_SCAN.pcap', ['192.168.1.25'], ['192.168.1.10']);
    const [f] = icmpBackscatter.detect(ctx);
    expect(f.leaning).toBe('backscatter');
    expect(Number(f.facts!.answers)).toBeGreaterThan(900);
    expect(f.facts!.quotedFromTarget).toBe(f.facts!.answers);
    expect(f.explanation).toMatch(/quoted header reads 192\.168\.1\.10:\d+ -> 192\.168\.1\.25:\d+/);
  });

  it('icmp-backscatter: the scanner itself only answered the two UDP replies it got', async () => {
    const ctx = await corpusContext('pcap/evilfingers__UDP_SCAN.pcap', ['192.168.1.10'], ['192.168.1.25']);
    const found = icmpBackscatter.detect(ctx);
    expect(found.map((f) => f.facts!.answers)).toEqual([2]);
  });

  it('impossible-source: loopback traffic on an Ethernet capture names its MAC address', async () => {
    const ctx = await corpusContext('pcap/tcpdump__print-flags.pcap', ['127.0.0.1'], ['192.0.2.10']);
    const [f] = impossibleSource.detect(ctx);
    expect(f.facts).toMatchObject({ address: '127.0.0.1', loopback: true });
    expect((f.facts!.macs as string[]).length).toBeGreaterThan(0);
    expect(f.explanation).toMatch(/MAC address table/);
  });
});

describe('answer detectors on synthetic events', () => {
  it('impossible-source: private sources are fine inside a LAN, impossible across the Internet', () => {
    const ev = tcp({ src: '10.1.2.3', dst: '10.1.2.4', sport: 80, dport: 5000, flags: 'RA', ts: 1 });
    expect(impossibleSource.detect(makeContext({ events: [ev], accused: ['10.1.2.3'], targets: ['10.1.2.4'] }))).toEqual([]);
    const wan = makeContext({ events: [], accused: ['10.1.2.3'], targets: ['192.0.2.4'] });
    expect(impossibleSource.detect(wan)[0].summary).toMatch(/private/);
  });

  it('synflood-backscatter: handshakes the complainant completed are real sessions, not backscatter', () => {
    const events = [
      tcp({ src: '192.0.2.5', dst: '198.51.100.1', sport: 4000, dport: 80, flags: 'S', ts: 1 }),
      tcp({ src: '198.51.100.1', dst: '192.0.2.5', sport: 80, dport: 4000, flags: 'SA', ts: 2 }),
      tcp({ src: '192.0.2.5', dst: '198.51.100.1', sport: 4000, dport: 80, flags: 'A', ts: 3 }),
    ];
    expect(synfloodBackscatter.detect(makeContext({ events, accused: ['198.51.100.1'], targets: ['192.0.2.5'] }))).toEqual([]);
  });
});
