import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../services/analyze-files';
import { ethernet, ipv4, udpDatagram } from '../../helpers/pcap-writer';
import { Capture, evidenceRows, expectRowsQuotePackets, utcText, zoneText } from '../../helpers/reply-evidence';

/**
 * The five incident write-ups in ../shared/seeds, replayed end to end: a
 * complaint as the complainant would write it, evidence generated with our
 * capture writer, and the verdict the seed's author reasoned their way to.
 * The reply is checked against the evidence, not against its template: the
 * records it quotes must be the packets or lines we wrote (file, number,
 * time in UTC and in the complainant's zone, addresses, ports, flags), and
 * the counts it states must be the counts of the traffic we generated.
 */
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-seeds-'));
const T0 = Date.UTC(2025, 11, 18, 0, 40, 0) * 1000;

function save(name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function analyze(complaint: string, evidence: string[], ourNets: string[] = []) {
  return analyzeFiles({ complaint: new TextEncoder().encode(complaint), complaintName: 'complaint.txt', evidence, ourNets });
}

/** "2025-12-18 00:40:00 UTC" for the coverage sentence (whole seconds). */
const utcSeconds = (ts: number): string => utcText(ts).replace(/\.\d{6} UTC$/, ' UTC');

let rng = 7;
const rand = (n: number): number => { rng = (rng * 1103515245 + 12345) & 0x7fffffff; return rng % n; };
const randomIp = (): string => `${11 + rand(180)}.${rand(256)}.${rand(256)}.${1 + rand(254)}`;

describe('seed 000: RSTs from 127.0.0.1:80 (Blaster)', () => {
  it('says no network could route it, quotes the RSTs and names the MAC address that sent them', async () => {
    const cap = new Capture();
    const mac = '00:0c:29:5e:71:0a';
    for (let i = 0; i < 12; i++) {
      cap.tcp(T0 + i * 400_000, { src: '127.0.0.1', dst: `192.0.2.${10 + (i % 3)}`, sport: 80, dport: 1030 + rand(3000), flags: 'RA', srcMac: mac });
    }
    const r = await analyze(
      'Subject: port scan from 127.0.0.1\n\nWe keep seeing portscans from source 127.0.0.1 source port 80 against our hosts 192.0.2.10-12. Please stop it.\n',
      [save('their-segment.pcap', cap.pcap())],
    );
    expect(r.verdict).toBe('backscatter');
    const cited = expectRowsQuotePackets(r.draft.body, 'their-segment.pcap', cap.facts);
    expect(cited.every((f) => f.src === '127.0.0.1' && f.sport === 80 && f.flags === 'RA')).toBe(true);
    // The only MAC address in the capture, as the way to the sender.
    expect(r.draft.body).toContain(`source MAC address ${mac}`);
    // RSTs from the loopback port 80 are what the Blaster explanation rests on.
    expect(r.draft.body).toMatch(/Blaster/);
  });
});

describe('seed 001: a port-scan report from our web server', () => {
  it('backscatter: cites our SYN-ACKs to the complainant and the forged SYNs they answer, with the flood\'s counts', async () => {
    const cap = new Capture();
    const spoofedSources = new Set<string>();
    let t = T0;
    for (let i = 0; i < 400; i++) {
      const spoofed = i % 10 === 0 ? '192.0.2.66' : randomIp();
      spoofedSources.add(spoofed);
      const sport = 1024 + rand(60000);
      t += 2000 + rand(3000);
      cap.tcp(t, { src: spoofed, dst: '198.51.100.80', sport, dport: 80, flags: 'S', window: 512, ttl: 40 + rand(80) });
      cap.tcp(t + 300, { src: '198.51.100.80', dst: spoofed, sport: 80, dport: sport, flags: 'SA', window: 29200, options: [2, 4, 5, 0xb4] });
    }
    const r = await analyze('Subject: portscan\n\nYour host 198.51.100.80 (source port 80) scanned 40 ports of 192.0.2.66 starting 2025-12-18 00:40 UTC.\n', [save('border.pcap', cap.pcap())]);
    expect(r.verdict).toBe('backscatter');
    expect(r.accused).toContain('198.51.100.80');
    const body = r.draft.body;

    const cited = expectRowsQuotePackets(body, 'border.pcap', cap.facts);
    // At least one cited SYN-ACK to the complainant, together with the SYN "from" it that it answers.
    const answered = cited.filter((f) => f.flags === 'SA' && f.dst === '192.0.2.66')
      .filter((a) => cited.some((q) => q.flags === 'S' && q.src === '192.0.2.66' && q.sport === a.dport && q.ts < a.ts));
    expect(answered.length, body).toBeGreaterThan(0);

    const answers = cap.facts.filter((f) => f.flags === 'SA' && f.dst === '192.0.2.66');
    const ports = new Set(answers.map((f) => f.dport)).size;
    expect(body).toContain(`was ${answers.length} SYN-ACK answers from port 80 to ${ports} different ports; ${answers.length} of ${answers.length} answer a SYN that arrived carrying 192.0.2.66 as its source`);
    const syns = cap.facts.filter((f) => f.flags === 'S');
    expect(body).toContain(`198.51.100.80 port 80 received a SYN flood: ${syns.length} SYNs from ${spoofedSources.size} different source addresses`);
    // Other flood sources are third parties: masked in the reply.
    for (const a of spoofedSources) if (a !== '192.0.2.66') expect(body).not.toContain(a);
  });

  it('legitimate: quotes the sessions our server answered, in UTC and in the complainant\'s +01:00, with the clients\' counts', async () => {
    const cap = new Capture();
    let t = Date.UTC(2025, 11, 18, 2, 0, 0) * 1000;
    for (let i = 0; i < 30; i++) {
      const cport = 40000 + rand(20000);
      const c = { src: '203.0.113.5', dst: '198.51.100.10', sport: cport, dport: 80 };
      const s = { src: '198.51.100.10', dst: '203.0.113.5', sport: 80, dport: cport };
      t += 80_000;
      cap.tcp(t, { ...c, flags: 'S', seq: 100 });
      cap.tcp(t + 10_000, { ...s, flags: 'SA', seq: 500, ack: 101 });
      cap.tcp(t + 20_000, { ...c, flags: 'A', seq: 101, ack: 501 });
      cap.tcp(t + 21_000, { ...c, flags: 'PA', seq: 101, ack: 501, payload: `GET /rpm/pkg-${i}.rpm HTTP/1.1\r\nHost: mirror\r\nUser-Agent: red-carpet/${i % 4}\r\n\r\n` });
      cap.tcp(t + 40_000, { ...s, flags: 'PA', seq: 501, ack: 180, payload: 'HTTP/1.1 200 OK\r\n\r\n' });
      cap.tcp(t + 50_000, { ...s, flags: 'FA', seq: 520, ack: 180 });
      cap.tcp(t + 60_000, { ...c, flags: 'FA', seq: 180, ack: 521 });
    }
    const r = await analyze(
      'Subject: portscan from your server\nDate: Thu, 18 Dec 2025 03:10:00 +0100\n\nOur IPCop reported: detected a portscan from 198.51.100.10:80 to 203.0.113.5: 21 ports scanned in 3 seconds, at 03:00 local time.\n',
      [save('mirror.pcap', cap.pcap())],
    );
    expect(r.verdict).toBe('legitimate');
    const body = r.draft.body;
    expectRowsQuotePackets(body, 'mirror.pcap', cap.facts, 60);
    const clientPorts = new Set(cap.facts.filter((f) => f.flags === 'S').map((f) => f.sport)).size;
    expect(body).toContain(`203.0.113.5 opened ${clientPorts} TCP connections to 198.51.100.10 port 80 (${clientPorts} completed the three-way handshake), from ${clientPorts} different client ports`);
    const gets = cap.facts.filter((f) => f.flags === 'PA' && f.dport === 80).length;
    expect(body).toContain(`${gets} HTTP requests (e.g. "GET /rpm/pkg-0.rpm") with 4 different User-Agents`);
    const first = cap.facts[0].ts;
    const last = cap.facts[cap.facts.length - 1].ts;
    expect(body).toContain(`Our records cover ${utcSeconds(first)} to ${utcSeconds(last)} (${zoneText(first, 60)} to ${zoneText(last, 60)}).`);
  });
});

describe('seed 002: "port 0" that is really fragments', () => {
  it('counts the non-first fragments and quotes the DNS exchanges they belong to', async () => {
    const cap = new Capture();
    for (let i = 0; i < 6; i++) {
      const t = T0 + i * 1_000_000;
      cap.udp(t, { src: '192.0.2.53', dst: '198.51.100.53', sport: 33000 + i, dport: 53, payload: new Uint8Array(30) });
      const first = udpDatagram({ src: '', dst: '', sport: 53, dport: 33000 + i, payload: new Uint8Array(1472) });
      cap.raw(t + 500, ethernet(ipv4('198.51.100.53', '192.0.2.53', 17, first, { mf: true, id: 900 + i, totalLength: 1500 }), 0x0800),
        { proto: 'udp', src: '198.51.100.53', dst: '192.0.2.53', sport: 53, dport: 33000 + i, payloadLength: 1472 });
      cap.raw(t + 600, ethernet(ipv4('198.51.100.53', '192.0.2.53', 17, new Uint8Array(400), { fragOffset: 1480, id: 900 + i }), 0x0800),
        { proto: 'udp', src: '198.51.100.53', dst: '192.0.2.53' });
    }
    const r = await analyze('Subject: port 0 traffic\n\nYour host 198.51.100.53 is sending UDP packets to port 0 of 192.0.2.53 since 2025-12-18 00:40 UTC.\n', [save('dns.pcap', cap.pcap())]);
    expect(r.verdict).toBe('legitimate');
    expectRowsQuotePackets(r.draft.body, 'dns.pcap', cap.facts);
    const nonFirst = cap.facts.filter((f) => f.sport === undefined).length;
    expect(r.draft.body).toContain(`${nonFirst} packets from 198.51.100.53 are non-first IP fragments`);
    const queries = cap.facts.filter((f) => f.dport === 53).length;
    expect(r.draft.body).toContain(`192.0.2.53 sent the first datagram of ${queries} UDP exchanges to 198.51.100.53 port 53`);
  });
});

describe('seed 003: UDP bursts from a fixed source port', () => {
  it('confirms the compromise with the bursts\' own port, size, length and count, and quotes them', async () => {
    const cap = new Capture();
    let t = Date.UTC(2026, 0, 12, 10, 0, 0) * 1000;
    const bursts = 12;
    for (let b = 0; b < bursts; b++) {
      t += 9_000_000 + rand(9_000_000);
      cap.udp(t, { src: '198.51.100.90', dst: '198.51.100.255', sport: 138, dport: 138, payload: new Uint8Array(200) });
      const start = 1024 + rand(60000);
      for (let k = 0; k < 5; k++) cap.udp(t + 2000 * (k + 1), { src: '198.51.100.90', dst: '198.51.100.255', sport: 770, dport: start + k, payload: new Uint8Array(28) });
    }
    const r = await analyze('Subject: worm?\n\nOur monitoring sees bursts of UDP from 198.51.100.90 source port 770 to the broadcast address.\n', [save('span.pcap', cap.pcap())]);
    expect(r.verdict).toBe('compromise');
    const body = r.draft.body;
    const cited = expectRowsQuotePackets(body, 'span.pcap', cap.facts);
    expect(cited.filter((f) => f.sport === 770).length).toBeGreaterThanOrEqual(5);
    expect(body).toContain(`198.51.100.90 sent ${bursts} bursts of about 5 UDP datagrams from source port 770, each 28 bytes of payload, to consecutive destination ports of 198.51.100.255`);
    expect(body).toContain('A fixed source port (770, a privileged port');
    expect(body).toContain('a fixed payload size (28 bytes) and runs of about 5 consecutive destination ports');
    expect(body).toContain(`${bursts} of the ${bursts} bursts came within 200 ms after another datagram from 198.51.100.90 to the same address (udp 138->138)`);
  });
});

describe('seed 004: crafted packets seen by argus', () => {
  it('reads argus text and quotes the crafted records by line, in UTC and the complainant\'s +13:00', async () => {
    const lines = [
      ' 09 Jan 00 11:05:43      tcp      198.51.100.20.23    <|   130.216.1.1.23    1      1       0         0        ER',
      ' 09 Jan 00 11:05:43      tcp      198.51.100.20.23    <|   130.216.1.4.23    1      1       0         0        ER',
      ' 09 Jan 00 11:05:44      tcp      198.51.100.20.25    <|   130.216.1.4.25    1      1       0         0        ER',
      ' 09 Jan 00 11:05:44      tcp      198.51.100.20.143   <|   130.216.1.1.143   1      1       0         0        ER',
      ' 09 Jan 00 11:05:44      tcp      198.51.100.20.110   <|   130.216.1.1.110   1      1       0         0        ER',
      ' 09 Jan 00 11:05:44      tcp      198.51.100.20.80    <|   130.216.1.1.80    1      1       0         0        ER',
      ' 09 Jan 00 11:05:44      tcp      198.51.100.20.16461 <|   130.216.1.1.143   1      1       0         0        sR',
      ' 09 Jan 00 11:05:44      tcp      198.51.100.20.16462 <|   130.216.1.1.110   1      1       0         0        sR',
      ' 09 Jan 00 11:05:44 s    tcp      198.51.100.20.16463  ->  130.216.1.1.111   2      0       0         0        s',
      ' 09 Jan 00 11:05:44 s    tcp      198.51.100.20.16464  ->  130.216.1.1.2766  7      0       0         0        s',
      ' 09 Jan 00 11:05:44      tcp      198.51.100.20.16468 <|   130.216.1.1.1114  1      1       0         0        sR',
      ' 09 Jan 00 11:05:44      tcp      198.51.100.20.16469 <|   130.216.1.1.1     1      1       0         0        sR',
      ' 09 Jan 00 11:08:57      tcp      198.51.100.20.2      ?>  130.216.1.1.23    1      0       0         0        F',
      ' 09 Jan 00 11:08:57      tcp      198.51.100.20.2      ?>  130.216.1.4.23    1      0       0         0        F',
      ' 09 Jan 00 11:09:02      tcp      198.51.100.20.30059 <|   130.216.1.4.1     1      1       0         0        sR',
    ];
    const r = await analyze(
      'Subject: unusual scan pattern from 198.51.100.20\nDate: Sun, 09 Jan 2000 12:00:00 +1300\n\nWe saw crafted packets from 198.51.100.20 to 130.216.1.1 and 130.216.1.4: same source and destination ports, lone FINs.\n',
      [save('dmz-ra.txt', `${lines.join('\n')}\n`)],
    );
    expect(r.evidence[0].format).toBe('argus');
    expect(r.verdict).toBe('compromise');
    const body = r.draft.body;
    const parsed = lines.map((l) => {
      const m = /^ (\d\d) Jan 00 (\d\d):(\d\d):(\d\d) .*?tcp\s+([\d.]+)\.(\d+)\s+\S+\s+([\d.]+)\.(\d+)\s.*\s(\w+)$/.exec(l)!;
      return { ts: Date.UTC(2000, 0, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])) * 1000, src: m[5], sport: Number(m[6]), dst: m[7], dport: Number(m[8]), state: m[9] };
    });
    const rows = evidenceRows(body).filter((row) => row.file === 'dmz-ra.txt');
    expect(rows.length, body).toBeGreaterThan(0);
    for (const row of rows) {
      const l = parsed[(row.line ?? 0) - 1];
      expect(l, `dmz-ra.txt line ${row.line}`).toBeDefined();
      expect(row.utc).toBe(utcText(l.ts));
      expect(row.local).toBe(zoneText(l.ts, 13 * 60));
      expect(row.record).toMatch(new RegExp(`^flow tcp ${l.src}:${l.sport} > ${l.dst}:${l.dport} .* state ${l.state}$`));
    }
    // The counts the reply states are the lines' own.
    const samePort = parsed.filter((l) => l.sport === l.dport);
    const loneFin = parsed.filter((l) => l.state === 'F');
    const hosts = (ls: typeof parsed): number => new Set(ls.map((l) => l.dst)).size;
    expect(body).toContain(`198.51.100.20 sent ${samePort.length} TCP packets with the same source and destination port outside any handshake to ${hosts(samePort)} hosts`);
    expect(body).toContain(`198.51.100.20 sent ${loneFin.length} TCP FIN packets without ACK to ${hosts(loneFin)} hosts`);
    expect(rows.some((row) => parsed[row.line! - 1].state === 'F')).toBe(true);
  });
});
