import { expect } from 'vitest';
import { bytes, tcpFrame, udpFrame, writePcap, type Frame, type TcpSpec, type UdpSpec } from './pcap-writer';

/**
 * Evidence checks on a reply draft: the rows of its evidence table are read
 * back and compared with the packets the test wrote (time, addresses, ports,
 * flags, length, file and packet number), so an assertion holds only when the
 * reply quotes the evidence, not when the template says the right words.
 */

/** What the test knows about one packet it wrote. */
export interface PacketFacts {
  ts: number;
  proto: 'tcp' | 'udp';
  /** Ports are absent on non-first fragments. */
  src: string; dst: string; sport?: number; dport?: number;
  flags?: string;
  /** Absent when the reader cannot know it (a non-first fragment's). */
  payloadLength?: number;
}

/** A capture built packet by packet, with the facts of each packet kept beside it (packet N is facts[N - 1]). */
export class Capture {
  readonly frames: Frame[] = [];
  readonly facts: PacketFacts[] = [];

  tcp(ts: number, s: TcpSpec): this {
    this.frames.push({ ts, data: tcpFrame(s) });
    this.facts.push({ ts, proto: 'tcp', src: s.src, dst: s.dst, sport: s.sport, dport: s.dport, flags: s.flags, payloadLength: bytes(s.payload).length });
    return this;
  }

  udp(ts: number, s: UdpSpec): this {
    this.frames.push({ ts, data: udpFrame(s) });
    this.facts.push({ ts, proto: 'udp', src: s.src, dst: s.dst, sport: s.sport, dport: s.dport, payloadLength: bytes(s.payload).length });
    return this;
  }

  /** A frame built by hand (fragments), with what the test knows of it. */
  raw(ts: number, data: Uint8Array, facts: Omit<PacketFacts, 'ts'>): this {
    this.frames.push({ ts, data });
    this.facts.push({ ts, ...facts });
    return this;
  }

  pcap(): Uint8Array {
    return writePcap(this.frames);
  }
}

/**
 * The facts of every packet of a classic pcap with Ethernet framing (IPv4,
 * TCP/UDP), read here with DataView so the oracle does not share the
 * engine's reader. Packet N is element N - 1.
 */
export function pcapFacts(data: Uint8Array): PacketFacts[] {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic = v.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nanos = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  if (!le && magic !== 0xd4c3b2a1 && magic !== 0x4d3cb2a1) throw new Error('not a classic pcap');
  if (v.getUint32(20, le) !== 1) throw new Error('not Ethernet');
  const out: PacketFacts[] = [];
  for (let p = 24; p + 16 <= data.length;) {
    const ts = v.getUint32(p, le) * 1e6 + Math.floor(v.getUint32(p + 4, le) / (nanos ? 1000 : 1));
    const len = v.getUint32(p + 8, le);
    const f = p + 16;
    p = f + len;
    const ip = f + 14;
    if (v.getUint16(f + 12) !== 0x0800) throw new Error(`packet ${out.length + 1} is not IPv4`);
    const ihl = (data[ip] & 0x0f) * 4;
    const total = v.getUint16(ip + 2);
    const proto = data[ip + 9];
    const addr = (o: number): string => [...data.subarray(o, o + 4)].join('.');
    const l4 = ip + ihl;
    const base = { ts, src: addr(ip + 12), dst: addr(ip + 16), sport: v.getUint16(l4), dport: v.getUint16(l4 + 2) };
    if (proto === 6) {
      const fl = data[l4 + 13];
      const flags = (fl & 2 ? 'S' : '') + (fl & 1 ? 'F' : '') + (fl & 4 ? 'R' : '') + (fl & 8 ? 'P' : '') + (fl & 16 ? 'A' : '');
      out.push({ ...base, proto: 'tcp', flags, payloadLength: total - ihl - (data[l4 + 12] >> 4) * 4 });
    } else if (proto === 17) {
      out.push({ ...base, proto: 'udp', payloadLength: v.getUint16(l4 + 4) - 8 });
    } else {
      throw new Error(`packet ${out.length + 1}: protocol ${proto} not read here`);
    }
  }
  return out;
}

/** One row of the reply's evidence table. */
export interface EvidenceRow {
  utc: string;
  /** The complainant's-zone column, when the table has one. */
  local?: string;
  record: string;
  file: string;
  packet?: number;
  line?: number;
}

export function evidenceRows(body: string): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  for (const text of body.split('\n')) {
    if (!/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC \| /.test(text)) continue;
    const parts = text.trim().split(' | ');
    const where = /^(.+) (packet|line) (\d+)$/.exec(parts[parts.length - 1]);
    if (!where) throw new Error(`evidence row without file and packet/line: ${text}`);
    rows.push({
      utc: parts[0],
      local: parts.length === 4 ? parts[1] : undefined,
      record: parts[parts.length - 2],
      file: where[1],
      [where[2]]: Number(where[3]),
    });
  }
  return rows;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** "2025-12-18 00:40:00.002784 UTC", computed with Date, not the engine's formatter. */
export function utcText(tsUs: number): string {
  const d = new Date(Math.floor(tsUs / 1000));
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}.${pad(tsUs % 1_000_000, 6)} UTC`;
}

/** "2025-12-18 01:40:00 UTC+01:00": the same instant at a fixed offset from UTC, in minutes. */
export function zoneText(tsUs: number, offsetMinutes: number): string {
  const d = new Date(Math.floor(tsUs / 1000) + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The table's second column: the complainant's zone, or what their clock shows when it is off by a constant. */
function secondColumn(ts: number, second: number | { clockOffsetSeconds: number }): string {
  if (typeof second === 'number') return zoneText(ts, second);
  const h = second.clockOffsetSeconds / 3600;
  return `${utcText(ts + second.clockOffsetSeconds * 1e6).replace(' UTC', '')} (${h > 0 ? '+' : ''}${h} h)`;
}

const FLAG_WORDS: Record<string, string> = { S: 'SYN', SA: 'SYN-ACK', A: 'ACK', PA: 'PSH-ACK', FA: 'FIN-ACK', R: 'RST', RA: 'RST-ACK', F: 'FIN' };

/** An address as the reply may print it: as is, or masked to its /16 when it is a third party's. */
function addressPattern(a: string): string {
  const esc = a.replace(/\./g, '\\.');
  const [p, q] = a.split('.');
  return `(?:${esc}|${p}\\.${q}\\.x\\.x)`;
}

/**
 * Every row that cites `file` quotes the packet it names: the time in UTC
 * (and in the second column, when `second` is given: the complainant's zone
 * as an offset in minutes, or their clock's constant offset), the
 * addresses, ports, protocol, TCP flags and payload length. Returns the
 * packets cited, for further checks.
 */
export function expectRowsQuotePackets(body: string, file: string, facts: PacketFacts[], second?: number | { clockOffsetSeconds: number }): PacketFacts[] {
  const rows = evidenceRows(body).filter((r) => r.file === file);
  expect(rows.length, `the reply cites no packet of ${file}:\n${body}`).toBeGreaterThan(0);
  return rows.map((r) => {
    const f = facts[(r.packet ?? 0) - 1];
    expect(f, `the reply cites ${file} packet ${r.packet}, which was never written`).toBeDefined();
    expect(r.utc, `time of ${file} packet ${r.packet}`).toBe(utcText(f.ts));
    if (second === undefined) expect(r.local, 'a UTC complainant gets no second time column').toBeUndefined();
    else expect(r.local, `second time column of ${file} packet ${r.packet}`).toBe(secondColumn(f.ts, second));
    const port = (p: number | undefined): string => (p === undefined ? '' : `:${p}`);
    const head = new RegExp(`^${addressPattern(f.src)}${port(f.sport)} > ${addressPattern(f.dst)}${port(f.dport)} ${f.proto} `);
    expect(r.record, `record of ${file} packet ${r.packet}`).toMatch(head);
    if (f.flags) expect(r.record).toContain(` ${FLAG_WORDS[f.flags] ?? f.flags}, len ${f.payloadLength},`);
    else if (f.payloadLength !== undefined) expect(r.record).toContain(` len ${f.payloadLength},`);
    return f;
  });
}
