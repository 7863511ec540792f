import { beforeEach, describe, expect, it } from 'vitest';
import { serverAnswering } from '../../../analysis/detect/server-answering';
import type { Finding } from '../../../analysis/detect/detector';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp } from '../../helpers/events';
import { tcpFrame, udpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';
import { corpusContext } from './corpus';
import { evidenceContext, readFixture } from './evidence';
import { COMPLAINANT, NAT_CLIENT, NAT_PORTS, SERVER, T0, webFloodPcap } from './web-flood-scenario';
import { connLog, type ConnRow } from './zeek-log';

beforeEach(() => resetPacketNumbers());
const packets = (f: Finding): Array<number | undefined> => f.evidence.map((e) => e.packet);

describe('server-answering on captures', () => {
  it('web-flood.pcap: the client behind NAT opened every connection; its requests and our responses prove it', async () => {
    const ctx = await evidenceContext('web-flood.pcap', webFloodPcap(), [SERVER], [NAT_CLIENT]);
    const [f, ...rest] = serverAnswering.detect(ctx);
    expect(rest).toEqual([]);
    expect(f.leaning).toBe('legitimate');
    expect(f.facts).toEqual({
      server: SERVER, client: NAT_CLIENT, sessions: 6, tcpSessions: 6, udpSessions: 0, handshakes: 6, joinedMidFlow: 0, clientPorts: 6, servicePorts: [80],
      httpRequests: 6, userAgents: ['Mozilla/5.0'], dnsQueries: 0, answeredShare: 100, natLikely: true,
    });
    expect(f.summary).toBe(`100% of the packets ${SERVER} sent to ${NAT_CLIENT} answer sessions that ${NAT_CLIENT} opened: ${NAT_CLIENT} opened 6 TCP connections to ${SERVER} port 80 (6 completed the three-way handshake), from 6 different client ports in 1.6 s.`);
    expect(f.explanation).toContain('Our packets come from our service port 80 and go to the client ports your side chose when it connected: that is a server replying, not a scan.');
    expect(f.explanation).toContain(`6 client ports behind the single address ${NAT_CLIENT}`);
    expect(f.explanation).toContain('6 HTTP requests (e.g. "GET /img/0.png") with 1 different User-Agent; our replies were HTTP responses ("200 OK")');
    // SYNs of sessions 1, 3, 4, 6; requests of 1, 4, 6; our first SYN-ACK, two packets between and our last FIN.
    expect(packets(f)).toEqual([57, 73, 81, 97, 60, 84, 100, 58, 74, 87, 103]);
    expect(f.strength).toBe(0.95);
  });

  it('web-flood.pcap: SYN-ACKs to forged SYNs answer no session the complainant opened', async () => {
    const ctx = await evidenceContext('web-flood.pcap', webFloodPcap(), [SERVER], [COMPLAINANT]);
    expect(serverAnswering.detect(ctx)).toEqual([]);
  });

  /** `n` client connections to SERVER:80, each completing the handshake; no payload. */
  function sessions(n: number, completed = n): ReturnType<typeof tcp>[] {
    const evs = [];
    for (let i = 0; i < n; i++) {
      const p = 40000 + i * 11;
      const t = 10 + i;
      if (i < completed) {
        evs.push(tcp({ src: NAT_CLIENT, dst: SERVER, sport: p, dport: 80, flags: 'S', ts: t }));
        evs.push(tcp({ src: SERVER, dst: NAT_CLIENT, sport: 80, dport: p, flags: 'SA', ts: t + 0.01 }));
        evs.push(tcp({ src: NAT_CLIENT, dst: SERVER, sport: p, dport: 80, flags: 'A', ts: t + 0.02 }));
      } else {
        // A TCP Fast Open SYN carrying data, answered, then reset by the client: a session, but no handshake.
        evs.push(tcp({ src: NAT_CLIENT, dst: SERVER, sport: p, dport: 80, flags: 'S', payloadLength: 100, ts: t }));
        evs.push(tcp({ src: SERVER, dst: NAT_CLIENT, sport: 80, dport: p, flags: 'SA', ts: t + 0.01 }));
        evs.push(tcp({ src: NAT_CLIENT, dst: SERVER, sport: p, dport: 80, flags: 'R', ts: t + 0.02 }));
      }
    }
    return evs;
  }

  it('five client ports behind one address look like NAT, four do not', () => {
    const [five] = serverAnswering.detect(makeContext({ events: sessions(5), accused: [SERVER], targets: [NAT_CLIENT] }));
    expect(five.facts).toMatchObject({ clientPorts: 5, natLikely: true, handshakes: 5 });
    expect(five.explanation).toContain('5 client ports behind the single address');
    const [four] = serverAnswering.detect(makeContext({ events: sessions(4), accused: [SERVER], targets: [NAT_CLIENT] }));
    expect(four.facts).toMatchObject({ clientPorts: 4, natLikely: false });
    expect(four.explanation).not.toContain('behind the single address');
  });

  it('weighs completed handshakes: all of them add weight, 4 of 5 (80%) do not', () => {
    const [all] = serverAnswering.detect(makeContext({ events: sessions(5), accused: [SERVER], targets: [NAT_CLIENT] }));
    expect(all.strength).toBeCloseTo(0.85, 10);
    const [most] = serverAnswering.detect(makeContext({ events: sessions(5, 4), accused: [SERVER], targets: [NAT_CLIENT] }));
    expect(most.facts).toMatchObject({ tcpSessions: 5, handshakes: 4 });
    expect(most.strength).toBeCloseTo(0.7, 10);
  });

  it('our packets outside the sessions lower the answered share', () => {
    const evs = [...sessions(3), tcp({ src: SERVER, dst: NAT_CLIENT, sport: 80, dport: 1, flags: 'SA', ts: 50 })];
    const [f] = serverAnswering.detect(makeContext({ events: evs, accused: [SERVER], targets: [NAT_CLIENT] }));
    expect(f.facts?.answeredShare).toBe(75);
    expect(f.summary).toMatch(/^75% of the packets/);
  });
});

function dnsQuery(name: string, id: number): Uint8Array {
  const b = [id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  for (const label of name.split('.')) b.push(label.length, ...[...label].map((c) => c.charCodeAt(0)));
  b.push(0, 0, 1, 0, 1);
  return Uint8Array.from(b);
}

describe('server-answering on UDP', () => {
  const RESOLVER = '198.51.100.53';
  it('a resolver answering queries: the client sent the first datagram of each exchange', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 4; i++) {
      const q = dnsQuery(`host${i}.example.net`, 0x100 + i);
      const a = q.slice();
      a[2] = 0x81; a[3] = 0x80;
      frames.push({ ts: T0 + i * 1000, data: udpFrame({ src: NAT_CLIENT, dst: RESOLVER, sport: 33000 + i, dport: 53, payload: q }) });
      frames.push({ ts: T0 + i * 1000 + 300, data: udpFrame({ src: RESOLVER, dst: NAT_CLIENT, sport: 53, dport: 33000 + i, payload: a }) });
    }
    const [f] = serverAnswering.detect(await evidenceContext('dns.pcap', writePcap(frames), [RESOLVER], [NAT_CLIENT]));
    expect(f.facts).toMatchObject({ sessions: 4, tcpSessions: 0, udpSessions: 4, dnsQueries: 4, servicePorts: [53], clientPorts: 4, natLikely: false, answeredShare: 100 });
    expect(f.summary).toContain(`${NAT_CLIENT} sent the first datagram of 4 UDP exchanges to ${RESOLVER} port 53`);
    expect(f.explanation).toContain('4 DNS queries (e.g. "host0.example.net")');
    expect(packets(f)).toEqual([1, 3, 5, 7, 2, 4, 6, 8]);
  });

  it('an unanswered datagram, even of one byte, is an exchange the client opened; several service ports are "ports"', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 2; i++) {
      frames.push({ ts: T0 + i * 1000, data: udpFrame({ src: NAT_CLIENT, dst: RESOLVER, sport: 33000 + i, dport: 53, payload: dnsQuery(`q${i}.example.net`, i) }) });
      frames.push({ ts: T0 + i * 1000 + 300, data: udpFrame({ src: RESOLVER, dst: NAT_CLIENT, sport: 53, dport: 33000 + i, payload: 'x'.repeat(40) }) });
    }
    frames.push({ ts: T0 + 5000, data: udpFrame({ src: NAT_CLIENT, dst: RESOLVER, sport: 34000, dport: 123, payload: 'z' }) });
    const [f] = serverAnswering.detect(await evidenceContext('udp.pcap', writePcap(frames), [RESOLVER], [NAT_CLIENT]));
    expect(f.facts).toMatchObject({ sessions: 3, udpSessions: 3, servicePorts: [53, 123], answeredShare: 100 });
    expect(f.explanation).toContain('Our packets come from our service ports 53, 123 and go to the client ports');
  });

  it('a zero-length datagram that we answered opens an exchange too', async () => {
    const frames: Frame[] = [
      { ts: T0, data: udpFrame({ src: NAT_CLIENT, dst: RESOLVER, sport: 33000, dport: 3478 }) },
      { ts: T0 + 300, data: udpFrame({ src: RESOLVER, dst: NAT_CLIENT, sport: 3478, dport: 33000, payload: 'pong' }) },
    ];
    const [f] = serverAnswering.detect(await evidenceContext('empty.pcap', writePcap(frames), [RESOLVER], [NAT_CLIENT]));
    expect(f.facts).toMatchObject({ sessions: 1, udpSessions: 1, servicePorts: [3478] });
  });

  it('datagrams our host sent first are not answers, whatever came back', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 4; i++) {
      frames.push({ ts: T0 + i * 1000, data: udpFrame({ src: RESOLVER, dst: NAT_CLIENT, sport: 53, dport: 33000 + i, payload: 'x'.repeat(40) }) });
      frames.push({ ts: T0 + i * 1000 + 300, data: udpFrame({ src: NAT_CLIENT, dst: RESOLVER, sport: 33000 + i, dport: 53, payload: 'y'.repeat(40) }) });
    }
    expect(serverAnswering.detect(await evidenceContext('first.pcap', writePcap(frames), [RESOLVER], [NAT_CLIENT]))).toEqual([]);
  });

  it('a TLS ClientHello from their side is application evidence too', async () => {
    const hello = Uint8Array.from([0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x03, 0x03]);
    const c = { src: NAT_CLIENT, dst: SERVER, sport: 45000, dport: 443 };
    const s = { src: SERVER, dst: NAT_CLIENT, sport: 443, dport: 45000 };
    const frames: Frame[] = [
      { ts: T0, data: tcpFrame({ ...c, flags: 'S' }) }, { ts: T0 + 10, data: tcpFrame({ ...s, flags: 'SA' }) },
      { ts: T0 + 20, data: tcpFrame({ ...c, flags: 'A' }) }, { ts: T0 + 30, data: tcpFrame({ ...c, flags: 'PA', payload: hello }) },
    ];
    const [f] = serverAnswering.detect(await evidenceContext('tls.pcap', writePcap(frames), [SERVER], [NAT_CLIENT]));
    expect(f.explanation).toContain('Application data confirms it: TLS ClientHello messages from their side.');
  });

  it('counts the different User-Agents of the requests', async () => {
    const frames: Frame[] = [];
    ['curl/8.5.0', 'Wget/1.21'].forEach((ua, i) => {
      const c = { src: NAT_CLIENT, dst: SERVER, sport: 46000 + i, dport: 80 };
      const s = { src: SERVER, dst: NAT_CLIENT, sport: 80, dport: 46000 + i };
      const t = T0 + i * 100_000;
      frames.push({ ts: t, data: tcpFrame({ ...c, flags: 'S' }) }, { ts: t + 10, data: tcpFrame({ ...s, flags: 'SA' }) },
        { ts: t + 20, data: tcpFrame({ ...c, flags: 'A' }) }, { ts: t + 30, data: tcpFrame({ ...c, flags: 'PA', payload: `GET / HTTP/1.1\r\nUser-Agent: ${ua}\r\n\r\n` }) });
    });
    const [f] = serverAnswering.detect(await evidenceContext('ua.pcap', writePcap(frames), [SERVER], [NAT_CLIENT]));
    expect(f.facts).toMatchObject({ httpRequests: 2, userAgents: ['curl/8.5.0', 'Wget/1.21'] });
    expect(f.explanation).toContain('2 HTTP requests (e.g. "GET /") with 2 different User-Agents');
  });
});

describe('server-answering on flow records', () => {
  it.each(['argus/web-flood.ra-default.txt', 'argus/web-flood.ra-long.txt'])('%s: the NAT client\'s established flows', async (rel) => {
    const ctx = makeContext({ events: await readFixture(rel), accused: [SERVER], targets: [NAT_CLIENT] });
    const [f, ...rest] = serverAnswering.detect(ctx);
    expect(rest).toEqual([]);
    expect(f.facts).toEqual({
      server: SERVER, client: NAT_CLIENT, sessions: 6, tcpSessions: 6, clientPorts: 6, servicePorts: [80], startedByUs: 0, answeredShare: 100, natLikely: true, fromFlowRecords: true,
    });
    expect(f.evidence.map((e) => e.line)).toEqual([30, 31, 32, 33, 34, 35]);
    expect(f.evidence[0].excerpt).toContain(`flow tcp ${NAT_CLIENT}:${NAT_PORTS[0]} > ${SERVER}:80`);
    expect(f.summary).toBe(`${NAT_CLIENT} opened 6 conversations with ${SERVER} port 80 that our flow records show as established (the TCP handshake completed), from 6 different client ports in 1.5 s; 0 conversations were started by ${SERVER}.`);
    expect(f.strength).toBeCloseTo(0.85, 10);
  });

  it('argus: the forged SYNs the complainant "sent" were answered but never established', async () => {
    const ctx = makeContext({ events: await readFixture('argus/web-flood.ra-default.txt'), accused: [SERVER], targets: [COMPLAINANT] });
    expect(serverAnswering.detect(ctx)).toEqual([]);
  });

  it('with the capture at hand the packet finding stands alone', async () => {
    const events = [...await readFixture('pcap/web-flood.pcap'), ...await readFixture('argus/web-flood.ra-long.txt')];
    const f = serverAnswering.detect(makeContext({ events, accused: [SERVER], targets: [NAT_CLIENT] }));
    expect(f.map((x) => x.facts?.fromFlowRecords ?? false)).toEqual([false]);
  });

  const row = (i: number, extra: Partial<ConnRow> = {}): ConnRow => ({
    ts: 1766018400 + i, orig: NAT_CLIENT, origPort: 50000 + i, resp: SERVER, respPort: 443, state: 'SF', history: 'ShADadFf', origPkts: 9, respPkts: 8, service: 'ssl', ...extra,
  });

  it('Zeek: five client ports look like NAT, four do not; flows our host started lower the share', async () => {
    const five = serverAnswering.detect(await evidenceContext('conn.log', connLog([0, 1, 2, 3, 4].map((i) => row(i))), [SERVER], [NAT_CLIENT]));
    expect(five[0].facts).toMatchObject({ sessions: 5, clientPorts: 5, natLikely: true, servicePorts: [443] });
    expect(five[0].explanation).toContain(`Our flow records name ${NAT_CLIENT} as the side that started each of these conversations, to our service port 443: `);
    const two = serverAnswering.detect(await evidenceContext('conn.log', connLog([row(0), row(1, { respPort: 8443 })]), [SERVER], [NAT_CLIENT]));
    expect(two[0].explanation).toContain('to our service ports 443, 8443: ');
    expect(five[0].explanation).toContain('5 client ports behind the single address');
    const rows = [0, 1, 2, 3].map((i) => row(i));
    rows.push({ ts: 1766018500, orig: SERVER, origPort: 41000, resp: NAT_CLIENT, respPort: 25, state: 'S0', history: 'S', origPkts: 2, respPkts: 0 });
    const [four] = serverAnswering.detect(await evidenceContext('conn.log', connLog(rows), [SERVER], [NAT_CLIENT]));
    expect(four.facts).toMatchObject({ sessions: 4, clientPorts: 4, natLikely: false, startedByUs: 1, answeredShare: 80 });
    expect(four.explanation).not.toContain('behind the single address');
    expect(four.summary).toContain(`; 1 conversations were started by ${SERVER}.`);
  });

  it('Zeek: answered UDP exchanges count, unanswered ones (S0) and rejected TCP (REJ) do not', async () => {
    const rows: ConnRow[] = [
      row(0, { proto: 'udp', respPort: 53, state: 'SF', history: 'Dd', origPkts: 1, respPkts: 1, origIpBytes: 61, respIpBytes: 120, service: 'dns' }),
      row(1, { proto: 'udp', respPort: 53, state: 'S0', history: 'D', origPkts: 1, respPkts: 0, origIpBytes: 61, service: 'dns' }),
      row(2, { respPort: 22, state: 'REJ', history: 'Sr', origPkts: 1, respPkts: 1 }),
    ];
    const [f, ...rest] = serverAnswering.detect(await evidenceContext('conn.log', connLog(rows), [SERVER], [NAT_CLIENT]));
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ sessions: 1, tcpSessions: 0, servicePorts: [53] });
    expect(f.summary).toContain('that our flow records show as answered');
    expect(f.evidence.map((e) => e.line)).toEqual([9]);
  });

  it('real Zeek log (rita, Internet-facing server): 30 SSH sessions a client opened to our server', async () => {
    const ctx = await corpusContext('zeek/rita__internet_host_2024-04-19_00h.conn.log', ['64.225.56.201'], ['88.142.46.185']);
    const [f, ...rest] = serverAnswering.detect(ctx);
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ sessions: 30, tcpSessions: 30, clientPorts: 30, servicePorts: [22], startedByUs: 0, answeredShare: 100, fromFlowRecords: true });
    expect(f.summary).toContain('from 30 different client ports in 2125.6 s');
    expect(f.evidence[0]).toMatchObject({ file: 'rita__internet_host_2024-04-19_00h.conn.log', line: 435 });
  });

  it('real Zeek log: connection attempts our server rejected are no sessions it served', async () => {
    const ctx = await corpusContext('zeek/rita__internet_host_2024-04-19_00h.conn.log', ['64.225.56.201'], ['120.245.134.197']);
    expect(serverAnswering.detect(ctx)).toEqual([]);
  });

  it('real argus (Wikipedia browsing): the server answered the browser\'s six connections', async () => {
    const ctx = await corpusContext('argus/generated__zeek_wikipedia_http.ra-long.txt', ['208.80.152.3'], ['141.142.220.118']);
    const [f] = serverAnswering.detect(ctx);
    expect(f.facts).toMatchObject({ sessions: 6, tcpSessions: 6, clientPorts: 6, servicePorts: [80], startedByUs: 0, fromFlowRecords: true });
    // The browser is nobody's server.
    expect(serverAnswering.detect(await corpusContext('argus/generated__zeek_wikipedia_http.ra-long.txt', ['141.142.220.118'], ['208.80.152.3']))).toEqual([]);
  });
});
