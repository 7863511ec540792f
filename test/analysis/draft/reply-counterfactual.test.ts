import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../services/analyze-files';
import { Capture, expectRowsQuotePackets } from '../../helpers/reply-evidence';

/**
 * Counterfactual replies: the same traffic with one fact changed (a source or
 * service port, a payload size, a count, the complainant's zone) must change
 * exactly that fact in the reply, and the old value must be gone. A reply
 * that repeats a value from its template or from an example case, whatever
 * the capture says, fails here. The complaints name no port and no count, so
 * every number the reply states can only come from the evidence.
 */
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-counterfactual-'));
let saved = 0;

function lcg(seed: number): (n: number) => number {
  let s = seed;
  return (n) => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s % n; };
}

/** "Thu, 18 Dec 2025 02:00:00 +0100" for an instant (µs) at an offset in minutes. */
function dateHeader(tsUs: number, offsetMinutes: number): string {
  const d = new Date(tsUs / 1000 + offsetMinutes * 60_000);
  const [wd, day, mon, year, time] = d.toUTCString().replace(',', '').split(' ');
  const abs = Math.abs(offsetMinutes);
  return `${wd}, ${day} ${mon} ${year} ${time} ${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

async function reply(cap: Capture, complaint: string, zoneMinutes: number) {
  const file = `capture-${++saved}.pcap`;
  writeFileSync(join(dir, file), cap.pcap());
  const first = cap.facts[0].ts;
  const text = complaint.replace('\n\n', `\nDate: ${dateHeader(first + 30 * 60e6, zoneMinutes)}\n\n`);
  const r = await analyzeFiles({ complaint: new TextEncoder().encode(text), complaintName: 'complaint.txt', evidence: [join(dir, file)], ourNets: ['198.51.100.0/24'] });
  // Whatever changed, each quoted record is still the packet it names, at its time in UTC and in the complainant's zone.
  expectRowsQuotePackets(r.draft.body, file, cap.facts, zoneMinutes);
  return r;
}

/** The complainant's zone as the reply's table heading gives it. */
const zoneOf = (body: string): string | undefined => /\| your zone, (UTC[+-]\d\d:\d\d) \|/.exec(body)?.[1];
const num = (body: string, re: RegExp): number | undefined => {
  const m = re.exec(body);
  return m ? Number(m[1]) : undefined;
};

describe('UDP bursts from a fixed source port', () => {
  interface Worm { sport: number; size: number; bursts: number; burstLength: number; zone: number }
  const base: Worm = { sport: 770, size: 28, bursts: 12, burstLength: 5, zone: 60 };
  const complaint = 'Subject: worm?\n\nOur monitoring sees bursts of UDP from 198.51.100.90 to the broadcast address of its network.\n';

  function capture(w: Worm): Capture {
    const rand = lcg(3);
    const cap = new Capture();
    let t = Date.UTC(2026, 0, 12, 10, 0, 0) * 1000;
    for (let b = 0; b < w.bursts; b++) {
      t += 9_000_000 + rand(9_000_000);
      cap.udp(t, { src: '198.51.100.90', dst: '198.51.100.255', sport: 138, dport: 138, payload: new Uint8Array(200) });
      const start = 1024 + rand(60000);
      for (let k = 0; k < w.burstLength; k++) {
        cap.udp(t + 2000 * (k + 1), { src: '198.51.100.90', dst: '198.51.100.255', sport: w.sport, dport: start + k, payload: new Uint8Array(w.size) });
      }
    }
    return cap;
  }

  /** The facts the reply states about the bursts. */
  function stated(body: string): Worm {
    const m = /sent (\d+) bursts of about (\d+) UDP datagrams from source port (\d+), each (\d+) bytes of payload/.exec(body);
    expect(m, body).not.toBeNull();
    return { bursts: Number(m![1]), burstLength: Number(m![2]), sport: Number(m![3]), size: Number(m![4]), zone: zoneOf(body) === 'UTC+01:00' ? 60 : -1 };
  }

  async function variant(change: Partial<Worm>) {
    const w = { ...base, ...change };
    const r = await reply(capture(w), complaint, w.zone);
    expect(r.verdict).toBe('compromise');
    return r.draft.body;
  }

  it('the base case states its own port, size, burst length and count', async () => {
    const body = await variant({});
    expect(stated(body)).toEqual(base);
    expect(body).toContain(`a fixed payload size (${base.size} bytes) and runs of about ${base.burstLength} consecutive destination ports`);
    expect(body).toContain(`${base.bursts} of the ${base.bursts} bursts came within 200 ms after another datagram`);
  });

  it('source port 4444 with 40-byte payloads: both change, 770 and 28 are gone', async () => {
    const body = await variant({ sport: 4444, size: 40 });
    expect(stated(body)).toEqual({ ...base, sport: 4444, size: 40 });
    expect(body).toContain('A fixed source port (4444), a fixed payload size (40 bytes)');
    expect(body).not.toMatch(/\b770\b/);
    expect(body).not.toMatch(/\b28[- ]bytes?\b|len 28,/);
    // 4444 is no privileged port: the reply no longer says so.
    expect(body).not.toContain('privileged port');
  });

  it('only the payload size changes: the port stays, the size follows', async () => {
    const body = await variant({ size: 40 });
    expect(stated(body)).toEqual({ ...base, size: 40 });
    expect(body).not.toMatch(/\b28[- ]bytes?\b|len 28,/);
  });

  it('a different number of bursts changes the count, nothing else', async () => {
    const body = await variant({ bursts: 8 });
    expect(stated(body)).toEqual({ ...base, bursts: 8 });
    expect(body).toContain('8 of the 8 bursts came within 200 ms');
    expect(body).not.toMatch(/\b12 bursts\b|12 of the 12/);
  });

  it('a different burst length changes "about N datagrams"', async () => {
    const body = await variant({ burstLength: 7 });
    expect(stated(body)).toEqual({ ...base, burstLength: 7 });
    expect(body).toContain('runs of about 7 consecutive destination ports');
    expect(body).not.toContain('about 5 ');
  });

  it('a complainant in UTC-05:00: the second time column moves, the facts stay', async () => {
    const body = await variant({ zone: -300 });
    expect(zoneOf(body)).toBe('UTC-05:00');
    expect(body).not.toContain('UTC+01:00');
    expect(stated(body)).toEqual({ ...base, zone: -1 });
  });
});

describe('backscatter of a SYN flood', () => {
  interface Flood { port: number; syns: number; zone: number; answer: 'SA' | 'RA' }
  const base: Flood = { port: 80, syns: 400, zone: 60, answer: 'SA' };
  const complaint = 'Subject: portscan\n\nYour host 198.51.100.80 port-scanned our host 192.0.2.66 this morning.\n';

  function capture(f: Flood): Capture {
    const rand = lcg(11);
    const cap = new Capture();
    let t = Date.UTC(2025, 11, 18, 0, 40, 0) * 1000;
    for (let i = 0; i < f.syns; i++) {
      const spoofed = i % 10 === 0 ? '192.0.2.66' : `${11 + rand(180)}.${rand(256)}.${rand(256)}.${1 + rand(254)}`;
      const sport = 1024 + rand(60000);
      t += 2000 + rand(3000);
      cap.tcp(t, { src: spoofed, dst: '198.51.100.80', sport, dport: f.port, flags: 'S', window: 512, ttl: 40 + rand(80) });
      cap.tcp(t + 300, { src: '198.51.100.80', dst: spoofed, sport: f.port, dport: sport, flags: f.answer, window: f.answer === 'SA' ? 29200 : 0 });
    }
    return cap;
  }

  /** What the capture holds, counted here. */
  function counted(cap: Capture) {
    const syns = cap.facts.filter((p) => p.flags === 'S');
    const answers = cap.facts.filter((p) => (p.flags === 'SA' || p.flags === 'RA') && p.dst === '192.0.2.66');
    return { syns: syns.length, sources: new Set(syns.map((p) => p.src)).size, answers: answers.length, ports: new Set(answers.map((p) => p.dport)).size };
  }

  async function variant(change: Partial<Flood>) {
    const f = { ...base, ...change };
    const cap = capture(f);
    const r = await reply(cap, complaint, f.zone);
    expect(r.verdict).toBe('backscatter');
    const c = counted(cap);
    const body = r.draft.body;
    expect(body).toContain(`was ${c.answers} ${f.answer === 'SA' ? 'SYN-ACK' : 'RST'} answers from port ${f.port} to ${c.ports} different ports`);
    expect(body).toContain(`the ${f.answer === 'SA' ? 'SYN-ACK' : 'RST-ACK'} answers stop when the forged SYNs stop`);
    expect(body).toContain(`198.51.100.80 port ${f.port} received a SYN flood: ${c.syns} SYNs from ${c.sources} different source addresses`);
    // The explanation sizes the flood by its own count, not by a fixed word.
    expect(body).toContain(`during a SYN flood from ${c.sources} different source addresses`);
    if (c.sources < 1000) expect(body).not.toMatch(/thousands/);
    return { body, c };
  }

  it('service port 443 instead of 80: the reply names 443 and never port 80', async () => {
    const { body } = await variant({ port: 443 });
    expect(body).toContain('your sensor saw "port 443"');
    expect(body).not.toMatch(/\bport 80\b|:80 /);
  });

  it('a smaller flood changes the counts it states, and the old counts are gone', async () => {
    const before = await variant({});
    const after = await variant({ syns: 250 });
    expect(after.c.syns).not.toBe(before.c.syns);
    expect(after.body).not.toContain(`${before.c.syns} SYNs`);
    expect(after.body).not.toContain(`was ${before.c.answers} SYN-ACK answers`);
  });

  it('a closed port answers with RSTs: the reply counts RSTs and names them in its advice', async () => {
    const { body } = await variant({ answer: 'RA' });
    expect(body).not.toMatch(/was \d+ SYN-ACK answers|SYN-ACK answers stop/);
  });

  it('a complainant in UTC+09:00: only the second time column changes', async () => {
    const { body } = await variant({ zone: 540 });
    expect(zoneOf(body)).toBe('UTC+09:00');
    expect(body).not.toContain('UTC+01:00');
  });
});

describe('legitimate sessions from many clients behind one address', () => {
  interface Nat { port: number; connections: number; zone: number }
  const base: Nat = { port: 80, connections: 30, zone: 60 };
  const complaint = 'Subject: portscan from your server\n\nOur IDS reported a port scan from 198.51.100.10 against 203.0.113.5 tonight.\n';

  function capture(n: Nat): Capture {
    const cap = new Capture();
    let t = Date.UTC(2025, 11, 18, 2, 0, 0) * 1000;
    for (let i = 0; i < n.connections; i++) {
      const cport = 40000 + i * 7;
      const c = { src: '203.0.113.5', dst: '198.51.100.10', sport: cport, dport: n.port };
      const s = { src: '198.51.100.10', dst: '203.0.113.5', sport: n.port, dport: cport };
      t += 80_000;
      cap.tcp(t, { ...c, flags: 'S', seq: 100 });
      cap.tcp(t + 10_000, { ...s, flags: 'SA', seq: 500, ack: 101 });
      cap.tcp(t + 20_000, { ...c, flags: 'A', seq: 101, ack: 501 });
      cap.tcp(t + 21_000, { ...c, flags: 'PA', seq: 101, ack: 501, payload: `GET /pkg/${i}.tar.gz HTTP/1.1\r\nHost: mirror\r\nUser-Agent: updater/${i % 3}\r\n\r\n` });
      cap.tcp(t + 40_000, { ...s, flags: 'PA', seq: 501, ack: 180, payload: 'HTTP/1.1 200 OK\r\n\r\n' });
      cap.tcp(t + 50_000, { ...s, flags: 'FA', seq: 520, ack: 180 });
      cap.tcp(t + 60_000, { ...c, flags: 'FA', seq: 180, ack: 521 });
    }
    return cap;
  }

  function stated(body: string): Nat {
    return {
      connections: num(body, /203\.0\.113\.5 opened (\d+) TCP connections to 198\.51\.100\.10 port \d+/)!,
      port: num(body, /TCP connections to 198\.51\.100\.10 port (\d+)/)!,
      zone: zoneOf(body) === 'UTC+01:00' ? 60 : -1,
    };
  }

  async function variant(change: Partial<Nat>) {
    const n = { ...base, ...change };
    const r = await reply(capture(n), complaint, n.zone);
    expect(r.verdict).toBe('legitimate');
    const body = r.draft.body;
    expect(body).toContain(`from ${n.connections} different client ports`);
    expect(body).toContain(`${n.connections} HTTP requests`);
    return body;
  }

  it('the base case states its own port and connection count', async () => {
    expect(stated(await variant({}))).toEqual(base);
  });

  it('service port 8080: the port changes, port 80 is gone', async () => {
    const body = await variant({ port: 8080 });
    expect(stated(body)).toEqual({ ...base, port: 8080 });
    expect(body).not.toMatch(/\bport 80\b|:80 /);
  });

  it('18 connections instead of 30: the counts change, 30 is gone', async () => {
    const body = await variant({ connections: 18 });
    expect(stated(body)).toEqual({ ...base, connections: 18 });
    expect(body).not.toMatch(/\b30 (?:TCP connections|different client ports|HTTP requests)/);
  });

  it('a complainant in UTC-05:00: the zone changes, the facts stay', async () => {
    const body = await variant({ zone: -300 });
    expect(zoneOf(body)).toBe('UTC-05:00');
    expect(stated(body)).toEqual({ ...base, zone: -1 });
  });
});
