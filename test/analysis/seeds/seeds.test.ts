import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../cli/commands/analyze';
import { ethernet, ipv4, tcpFrame, udpDatagram, udpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';

/**
 * The five incident write-ups in ../shared/seeds, replayed end to end: a
 * complaint as the complainant would write it, evidence generated with our
 * capture writer, and the verdict and key sentences the seed's author
 * reasoned their way to.
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

let rng = 7;
const rand = (n: number): number => { rng = (rng * 1103515245 + 12345) & 0x7fffffff; return rng % n; };
const randomIp = (): string => `${11 + rand(180)}.${rand(256)}.${rand(256)}.${1 + rand(254)}`;

describe('seed 000: RSTs from 127.0.0.1:80 (Blaster)', () => {
  it('says no network could route it and names the MAC address to trace', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 12; i++) {
      frames.push({ ts: T0 + i * 400_000, data: tcpFrame({ src: '127.0.0.1', dst: `192.0.2.${10 + (i % 3)}`, sport: 80, dport: 1030 + rand(3000), flags: 'RA', srcMac: '00:0c:29:aa:bb:cc' }) });
    }
    const capture = save('their-segment.pcap', writePcap(frames));
    const r = await analyze(
      'Subject: port scan from 127.0.0.1\n\nWe keep seeing portscans from source 127.0.0.1 source port 80 against our hosts 192.0.2.10-12. Please stop it.\n',
      [capture],
    );
    expect(r.verdict).toBe('backscatter');
    expect(r.draft.body).toMatch(/loopback/i);
    expect(r.draft.body).toContain('00:0c:29:aa:bb:cc');
    expect(r.draft.body).toMatch(/Blaster/);
  });
});

describe('seed 001: "21 ports scanned" from our web server', () => {
  it('backscatter: a spoofed SYN flood answered with SYN-ACKs', async () => {
    const frames: Frame[] = [];
    const thirdParties: string[] = [];
    let t = T0;
    for (let i = 0; i < 400; i++) {
      const spoofed = i % 10 === 0 ? '192.0.2.66' : randomIp();
      if (spoofed !== '192.0.2.66') thirdParties.push(spoofed);
      const sport = 1024 + rand(60000);
      t += 2000 + rand(3000);
      frames.push({ ts: t, data: tcpFrame({ src: spoofed, dst: '198.51.100.80', sport, dport: 80, flags: 'S', window: 512, ttl: 40 + rand(80) }) });
      frames.push({ ts: t + 300, data: tcpFrame({ src: '198.51.100.80', dst: spoofed, sport: 80, dport: sport, flags: 'SA', window: 29200, options: [2, 4, 5, 0xb4] }) });
    }
    const capture = save('border.pcap', writePcap(frames));
    const r = await analyze('Subject: portscan\n\nYour host 198.51.100.80 (source port 80) scanned 40 ports of 192.0.2.66 starting 2025-12-18 00:40 UTC.\n', [capture]);
    expect(r.verdict).toBe('backscatter');
    expect(r.accused).toContain('198.51.100.80');
    expect(r.draft.body).toMatch(/SYN-ACK/);
    expect(r.draft.body).toMatch(/forged|spoofed/i);
    // Other flood sources are third parties: masked in the reply.
    for (const a of thirdParties) expect(r.draft.body, r.draft.body).not.toContain(a);
  });

  it('legitimate: many clients behind one NAT downloading from our server', async () => {
    const frames: Frame[] = [];
    let t = Date.UTC(2025, 11, 18, 2, 0, 0) * 1000;
    for (let i = 0; i < 30; i++) {
      const cport = 40000 + rand(20000);
      const c = { src: '203.0.113.5', dst: '198.51.100.10', sport: cport, dport: 80 };
      const s = { src: '198.51.100.10', dst: '203.0.113.5', sport: 80, dport: cport };
      t += 80_000;
      frames.push({ ts: t, data: tcpFrame({ ...c, flags: 'S', seq: 100 }) });
      frames.push({ ts: t + 10_000, data: tcpFrame({ ...s, flags: 'SA', seq: 500, ack: 101 }) });
      frames.push({ ts: t + 20_000, data: tcpFrame({ ...c, flags: 'A', seq: 101, ack: 501 }) });
      frames.push({ ts: t + 21_000, data: tcpFrame({ ...c, flags: 'PA', seq: 101, ack: 501, payload: `GET /rpm/pkg-${i}.rpm HTTP/1.1\r\nHost: mirror\r\nUser-Agent: red-carpet/${i % 4}\r\n\r\n` }) });
      frames.push({ ts: t + 40_000, data: tcpFrame({ ...s, flags: 'PA', seq: 501, ack: 180, payload: 'HTTP/1.1 200 OK\r\n\r\n' }) });
      frames.push({ ts: t + 50_000, data: tcpFrame({ ...s, flags: 'FA', seq: 520, ack: 180 }) });
      frames.push({ ts: t + 60_000, data: tcpFrame({ ...c, flags: 'FA', seq: 180, ack: 521 }) });
    }
    const capture = save('mirror.pcap', writePcap(frames));
    const r = await analyze(
      'Subject: portscan from your server\nDate: Thu, 18 Dec 2025 03:10:00 +0100\n\nOur IPCop reported: detected a portscan from 198.51.100.10:80 to 203.0.113.5: 21 ports scanned in 3 seconds, at 03:00 local time.\n',
      [capture],
    );
    expect(r.verdict).toBe('legitimate');
    expect(r.draft.body).toMatch(/NAT/);
    expect(r.draft.body).toMatch(/GET \/rpm\/pkg-/);
  });
});

describe('seed 002: "port 0" that is really fragments', () => {
  it('explains that non-first fragments carry no ports', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 6; i++) {
      const t = T0 + i * 1_000_000;
      frames.push({ ts: t, data: udpFrame({ src: '192.0.2.53', dst: '198.51.100.53', sport: 33000 + i, dport: 53, payload: new Uint8Array(30) }) });
      const first = udpDatagram({ src: '', dst: '', sport: 53, dport: 33000 + i, payload: new Uint8Array(1472) });
      frames.push({ ts: t + 500, data: ethernet(ipv4('198.51.100.53', '192.0.2.53', 17, first, { mf: true, id: 900 + i, totalLength: 1500 }), 0x0800) });
      frames.push({ ts: t + 600, data: ethernet(ipv4('198.51.100.53', '192.0.2.53', 17, new Uint8Array(400), { fragOffset: 1480, id: 900 + i }), 0x0800) });
    }
    const capture = save('dns.pcap', writePcap(frames));
    const r = await analyze('Subject: port 0 traffic\n\nYour host 198.51.100.53 is sending UDP packets to port 0 of 192.0.2.53 since 2025-12-18 00:40 UTC.\n', [capture]);
    expect(r.verdict).toBe('legitimate');
    expect(r.draft.body).toMatch(/fragment/i);
  });
});

describe('seed 003: UDP source port 770 bursts', () => {
  it('confirms the compromise and names the pattern', async () => {
    const frames: Frame[] = [];
    let t = Date.UTC(2026, 0, 12, 10, 0, 0) * 1000;
    for (let b = 0; b < 12; b++) {
      t += 9_000_000 + rand(9_000_000);
      frames.push({ ts: t, data: udpFrame({ src: '198.51.100.90', dst: '198.51.100.255', sport: 138, dport: 138, payload: new Uint8Array(200) }) });
      const start = 1024 + rand(60000);
      for (let k = 0; k < 5; k++) frames.push({ ts: t + 2000 * (k + 1), data: udpFrame({ src: '198.51.100.90', dst: '198.51.100.255', sport: 770, dport: start + k, payload: new Uint8Array(28) }) });
    }
    const capture = save('span.pcap', writePcap(frames));
    const r = await analyze('Subject: worm?\n\nOur monitoring sees bursts of UDP from 198.51.100.90 source port 770 to the broadcast address.\n', [capture]);
    expect(r.verdict).toBe('compromise');
    expect(r.draft.body).toContain('770');
    expect(r.draft.body).toMatch(/28[- ]byte/);
  });
});

describe('seed 004: crafted packets seen by argus', () => {
  it('reads argus text and confirms crafted scanning from our host', async () => {
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
    const argus = save('dmz-ra.txt', `${lines.join('\n')}\n`);
    const r = await analyze(
      'Subject: unusual scan pattern from 198.51.100.20\nDate: Sun, 09 Jan 2000 12:00:00 +1300\n\nWe saw crafted packets from 198.51.100.20 to 130.216.1.1 and 130.216.1.4: same source and destination ports, lone FINs.\n',
      [argus],
    );
    expect(r.evidence[0].format).toBe('argus');
    expect(r.verdict).toBe('compromise');
    expect(r.draft.body).toMatch(/same source and destination port|lone FIN/i);
  });
});
