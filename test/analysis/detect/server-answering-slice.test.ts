import { describe, expect, it } from 'vitest';
import { serverAnswering } from '../../../analysis/detect/server-answering';
import type { DetectContext, Finding } from '../../../analysis/detect/detector';
import { isSyn } from '../../../analysis/detect/common';
import type { NetEvent } from '../../../analysis/events/event';
import { weigh } from '../../../analysis/verdict/weigh';
import { makeContext } from '../../helpers/context';
import { corpusContext } from './corpus';

/**
 * A contiguous slice of a real capture, cut where connections are already
 * open, gives the same finding as the whole file: the slice sees no SYN of
 * theirs, only our data and their acknowledgements (joined-connections.ts).
 * A slice is the packets first..last of the file, what `editcap -r FILE OUT
 * first-last` writes; the detector reads the same events from either.
 */
function slice(whole: DetectContext, first: number, last: number): DetectContext {
  const events = whole.events.filter((e) => e.source.packet! >= first && e.source.packet! <= last);
  return makeContext({ events, accused: whole.accused, targets: whole.targets });
}

/** The verdict the findings alone give (no complaint time, so the same penalty on both sides). */
function verdictOf(findings: Finding[], events: NetEvent[]): string {
  return weigh(findings, { accusedEvents: events.length, pairEvents: events.length, timesCovered: 0, timesTotal: 0 }, true).verdict;
}

const between = (ctx: DetectContext) => (e: NetEvent): boolean => ctx.accused.includes(e.src!) ? ctx.targets.includes(e.dst!) : ctx.accused.includes(e.dst!) && ctx.targets.includes(e.src!);

describe('server-answering on a contiguous slice of a real capture', () => {
  it('http_espn.pcapng, packets 289-336 (5%): the web server answering the browser, its connections opened before the slice', async () => {
    const whole = await corpusContext('pcapng/chrissanders__http_espn.pcapng', ['205.234.218.129'], ['172.16.0.122']);
    const part = slice(whole, 289, 336);
    expect(part.events).toHaveLength(48);
    expect(part.events.filter(between(part)).some(isSyn)).toBe(false);

    const [all] = serverAnswering.detect(whole);
    const [some, ...rest] = serverAnswering.detect(part);
    expect(rest).toEqual([]);
    expect(all).toMatchObject({ id: 'server-answering-clients', leaning: 'legitimate', facts: { sessions: 8, handshakes: 8, joinedMidFlow: 0 } });
    expect(some).toMatchObject({ id: all.id, leaning: all.leaning, facts: { answeredShare: 100, servicePorts: [80], handshakes: 0 } });
    // Counts follow the evidence: four of the eight connections are open in these 48 packets.
    expect(some.facts).toMatchObject({ sessions: 4, joinedMidFlow: 4, clientPorts: 4 });
    expect(some.summary).toContain('4 TCP connections from 172.16.0.122 to 205.234.218.129 port 80 were already open when our evidence begins');
    expect(some.explanation).toContain('172.16.0.122 acknowledged the sequence numbers of our segments');
    // The evidence quoted is in the slice: the acknowledgements that prove each connection.
    for (const r of some.evidence) expect(r.packet).toBeGreaterThanOrEqual(289);
    expect(verdictOf([some], part.events)).toBe(verdictOf([all], whole.events));
    expect(verdictOf([some], part.events)).toBe('legitimate');
  });

  it('pcapng-example.pcapng, packets 400-412 (2%): one HTTPS download, its handshake at packet 300', async () => {
    const whole = await corpusContext('pcapng/wireshark-wiki__pcapng-example.pcapng', ['91.198.174.192'], ['192.168.1.1']);
    const part = slice(whole, 400, 412);
    expect(part.events.filter(between(part)).some(isSyn)).toBe(false);
    const [all] = serverAnswering.detect(whole);
    const [some] = serverAnswering.detect(part);
    expect(all.facts).toMatchObject({ sessions: 1, handshakes: 1, joinedMidFlow: 0, servicePorts: [443] });
    expect(some).toMatchObject({ id: all.id, leaning: all.leaning, facts: { sessions: 1, joinedMidFlow: 1, servicePorts: [443], answeredShare: 100 } });
    expect(verdictOf([some], part.events)).toBe('legitimate');
  });
});

/** Every contiguous window of `share` of the file's packets. */
function windows(whole: DetectContext, share: number): DetectContext[] {
  const last = whole.events.reduce((m, e) => Math.max(m, e.source.packet ?? 0), 0);
  const n = Math.max(1, Math.round(last * share));
  const out: DetectContext[] = [];
  for (let first = 1; first <= last; first += n) out.push(slice(whole, first, first + n - 1));
  return out;
}

describe('server-answering stays silent on slices of compromise and scan evidence', () => {
  // Accused is the side the complaint would name; each pair has two-way TCP in most windows.
  const cases: Array<[string, string, string, string]> = [
    ['pcap/evilfingers__ACK_SCAN.pcap', '192.168.1.25', '192.168.1.10', 'answering an ACK scan with resets (the reset echoes the probe\'s acknowledgement)'],
    ['pcap/evilfingers__WINDOW_SCAN.pcap', '192.168.1.25', '192.168.1.10', 'answering a window scan with resets'],
    ['pcap/evilfingers__TCP_CONNECT_SCAN.pcap', '192.168.1.10', '192.168.1.25', 'the connect scanner'],
    ['pcap/zeek__ftp_bruteforce.pcap', '192.168.56.1', '192.168.56.101', 'the FTP password guesser'],
    ['pcap/zeek__ssh_sshguess.pcap', '192.168.56.1', '192.168.56.103', 'the SSH password guesser'],
    ['pcapng/chrissanders__cryptowall4_c2.pcapng', '192.168.122.145', '184.170.149.44', 'the ransomware host calling its C2'],
  ];
  it.each(cases)('%s, accused %s, target %s (%s): no finding on the whole file nor on any slice of a twentieth of it', async (rel, accused, target) => {
    const whole = await corpusContext(rel, [accused], [target]);
    expect(serverAnswering.detect(whole)).toEqual([]);
    const parts = windows(whole, 0.05);
    expect(parts.filter((p) => p.events.some(between(p))).length).toBeGreaterThan(0);
    for (const p of parts) expect(serverAnswering.detect(p), `packets ${p.events[0]?.source.packet}-`).toEqual([]);
  });
});
