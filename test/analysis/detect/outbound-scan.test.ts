import { beforeEach, describe, expect, it } from 'vitest';
import { outboundScan } from '../../../analysis/detect/outbound-scan';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp, tcpSession, udp } from '../../helpers/events';
import { corpusContext } from './corpus';

const US = '198.51.100.90';
const THEM = '192.0.2.10';

beforeEach(() => resetPacketNumbers());

describe('outbound-scan (synthetic)', () => {
  it('classifies a vertical SYN scan and reports ports, span and rate', () => {
    const evs = [];
    for (let p = 1; p <= 40; p++) {
      evs.push(tcp({ src: US, dst: THEM, sport: 40000, dport: p, flags: 'S', ts: 100 + p * 0.01 }));
      evs.push(tcp({ src: THEM, dst: US, sport: p, dport: 40000, flags: 'RA', ts: 100 + p * 0.01 + 0.001 }));
    }
    const [f, ...rest] = outboundScan.detect(makeContext({ events: evs, accused: [US] }));
    expect(rest).toEqual([]);
    expect(f.id).toBe('outbound-port-scan');
    expect(f.leaning).toBe('compromise');
    expect(f.facts?.scanType).toBe('SYN');
    expect(f.facts?.portCount).toBe(40);
    expect(f.facts?.answeredRst).toBe(40);
    expect(f.facts?.spanSeconds).toBeCloseTo(0.39, 2);
    expect(f.evidence.length).toBeLessThanOrEqual(12);
    expect(f.evidence[0].excerpt).toContain(`${US}:40000 > ${THEM}:1 tcp [S]`);
  });

  it.each([
    ['F', 'FIN'], ['', 'NULL'], ['FPU', 'Xmas'], ['A', 'ACK'],
  ])('reads flags %j as a %s scan', (flags, type) => {
    const evs = [];
    for (let p = 1; p <= 20; p++) evs.push(tcp({ src: US, dst: THEM, sport: 5555, dport: 1000 + p, flags }));
    const [f] = outboundScan.detect(makeContext({ events: evs, accused: [US] }));
    expect(f?.facts?.scanType).toBe(type);
  });

  it('finds a horizontal sweep of one port', () => {
    const evs = [];
    for (let h = 1; h <= 30; h++) evs.push(tcp({ src: US, dst: `203.0.113.${h}`, sport: 41000 + h, dport: 23, flags: 'S' }));
    const f = outboundScan.detect(makeContext({ events: evs, accused: [US] }));
    expect(f.map((x) => x.id)).toEqual(['outbound-sweep']);
    expect(f[0].facts?.targetCount).toBe(30);
    expect(f[0].facts?.ports).toEqual(['tcp/23']);
  });

  it('does not call a server answering many clients a scan', () => {
    const evs = [];
    for (let p = 0; p < 60; p++) {
      // Their SYN first, then our SYN-ACK from our service port.
      evs.push(tcp({ src: THEM, dst: US, sport: 30000 + p, dport: 80, flags: 'S', ts: 10 + p }));
      evs.push(tcp({ src: US, dst: THEM, sport: 80, dport: 30000 + p, flags: 'SA', ts: 10 + p + 0.01 }));
      evs.push(tcp({ src: THEM, dst: US, sport: 30000 + p, dport: 80, flags: 'R', ts: 10 + p + 0.02 }));
    }
    expect(outboundScan.detect(makeContext({ events: evs, accused: [US] }))).toEqual([]);
  });

  it('does not count real sessions (passive FTP data connections to many ports)', () => {
    const evs = [];
    for (let p = 0; p < 30; p++) evs.push(...tcpSession({ client: US, server: THEM, sport: 50000 + p, dport: 40000 + p, ts: 5 + p }));
    expect(outboundScan.detect(makeContext({ events: evs, accused: [US] }))).toEqual([]);
  });

  it('does not count answered UDP (a resolver talking to many servers) or replies from service ports', () => {
    const evs = [];
    for (let h = 1; h <= 40; h++) {
      evs.push(udp({ src: US, dst: `203.0.113.${h}`, sport: 33000 + h, dport: 53, payloadLength: 30 }));
      evs.push(udp({ src: `203.0.113.${h}`, dst: US, sport: 53, dport: 33000 + h, payloadLength: 90 }));
      evs.push(udp({ src: US, dst: THEM, sport: 53, dport: 20000 + h, payloadLength: 90 }));
    }
    expect(outboundScan.detect(makeContext({ events: evs, accused: [US] }))).toEqual([]);
  });
});

describe('outbound-scan on real captures', () => {
  const scanner = '192.168.1.10';
  it.each([
    ['pcap/evilfingers__TCP_SYN_SCAN.pcap', 'SYN'],
    ['pcap/evilfingers__TCP_CONNECT_SCAN.pcap', 'connect'],
    ['pcap/evilfingers__FIN_SCAN.pcap', 'FIN'],
    ['pcap/evilfingers__NULL_SCAN.pcap', 'NULL'],
    ['pcap/evilfingers__XMAS_TREE_SCAN.pcap', 'Xmas'],
    ['pcap/evilfingers__ACK_SCAN.pcap', 'ACK'],
    ['pcap/evilfingers__WINDOW_SCAN.pcap', 'ACK'],
    ['pcap/evilfingers__UDP_SCAN.pcap', 'UDP'],
  ])('%s: accused scanner -> %s scan of 192.168.1.25', async (file, type) => {
    const findings = outboundScan.detect(await corpusContext(file, [scanner]));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.id).toBe('outbound-port-scan');
    expect(f.facts?.scanType).toBe(type);
    expect(f.facts?.targets).toEqual([expect.stringContaining('192.168.1.25')]);
    expect(f.facts?.portCount as number).toBeGreaterThan(900);
    // Non-empty first: every() of nothing is true.
    expect(f.evidence.length).toBeGreaterThan(0);
    for (const e of f.evidence) {
      expect(e.excerpt).toContain(`${scanner}:`);
      expect(e.excerpt).toContain('192.168.1.25:');
      expect(e.packet).toBeGreaterThan(0);
    }
  });

  it.each([
    'pcap/evilfingers__TCP_SYN_SCAN.pcap', 'pcap/evilfingers__TCP_CONNECT_SCAN.pcap', 'pcap/evilfingers__FIN_SCAN.pcap',
    'pcap/evilfingers__ACK_SCAN.pcap', 'pcap/evilfingers__UDP_SCAN.pcap', 'pcap/evilfingers__XMAS_TREE_SCAN.pcap',
  ])('%s: the scanned host answering is not a scanner', async (file) => {
    expect(outboundScan.detect(await corpusContext(file, ['192.168.1.25']))).toEqual([]);
  });

  it('ppa portscan: 29 SYNs to 29 ports', async () => {
    const [f] = outboundScan.detect(await corpusContext('pcap/ppa__portscan.pcap', ['10.100.25.14']));
    expect(f.facts?.scanType).toBe('SYN');
    expect(f.facts?.portCount).toBe(29);
    expect(f.summary).toContain('10.100.18.12');
  });

  it('chrissanders synscan.pcapng', async () => {
    const [f] = outboundScan.detect(await corpusContext('pcapng/chrissanders__synscan.pcapng', ['172.16.0.8']));
    expect(f.facts?.scanType).toBe('SYN');
    expect(f.facts?.portCount as number).toBeGreaterThanOrEqual(900);
  });

  it.each([
    ['pcap/zeek__wikipedia.pcap', '141.142.220.118'],
    ['pcapng/chrissanders__http_espn.pcapng', '172.16.0.122'],
    ['cases/seed001-nat-legit/mirror.pcap', '198.51.100.81'],
    ['cases/seed001-synflood-backscatter/www-border.pcap', '198.51.100.80'],
  ])('%s: no scan finding for %s', async (file, host) => {
    expect(outboundScan.detect(await corpusContext(file, [host]))).toEqual([]);
  });
});
