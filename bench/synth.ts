import { CaptureWriter } from './capture-writer';
import { Rng } from './shapes/rng';

/**
 * Synthetic but realistic border traffic for benchmarks, written to a classic
 * pcap and (optionally) the same packets to a pcapng:
 *
 * - web: ~600 concurrent HTTP/HTTPS connections to our servers, each a full
 *   handshake, a request, a heavy-tailed response in 1514-byte segments with
 *   delayed ACKs, and a FIN teardown;
 * - a SYN flood on 198.51.100.20:80 from spoofed sources, and our SYN-ACK
 *   backscatter to them (with an occasional retransmission);
 * - DNS queries from our hosts to a public resolver and their answers;
 * - a SYN scan of our /24 by one host, answered by RST/ACK (and SYN/ACK on open ports).
 *
 * Frames are Ethernet/IPv4/TCP|UDP with correct IPv4 header checksums, padded
 * to the 60-byte Ethernet minimum, at most 1514 bytes. Deterministic (seeded).
 */

const OUR_NET = 0xc6336400; // 198.51.100.0
const WEB_SERVERS = [OUR_NET + 10, OUR_NET + 11, OUR_NET + 12];
const FLOOD_VICTIM = OUR_NET + 20;
const RESOLVER = 0x09090909; // 9.9.9.9
const SCANNER = 0xcb007107; // 203.0.113.7
const OPEN_PORTS = new Set([22, 25, 53, 80, 443, 8080]);
const MSS = 1460;

/** A public-looking unicast address outside our /24 and the documentation ranges. */
function internetAddr(rng: Rng): number {
  for (;;) {
    const a = rng.u32();
    const first = a >>> 24;
    if (first === 0 || first === 10 || first === 127 || first >= 224 || (a & 0xffffff00) === OUR_NET) continue;
    return a;
  }
}

interface WebConn {
  client: number;
  server: number;
  cport: number;
  sport: number;
  cseq: number;
  sseq: number;
  step: number;
  /** Response segments still to send. */
  segments: number;
  total: number;
  lastLen: number;
  sinceAck: number;
}

const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

export interface SynthResult {
  packets: number;
  pcapBytes: number;
  pcapngBytes?: number;
  /** The first response segment written after `markAtBytes`: its packet index and time, and its connection. */
  mark?: { packet: number; ts: number; client: number; server: number; sport: number };
}

/**
 * Write at least `targetBytes` of classic pcap to `pcapPath` (and the same
 * packets to `pcapngPath` if given). With `markAtBytes`, note the first web
 * response segment written past that many bytes (the mark changes no byte).
 */
export function synthesise(pcapPath: string, targetBytes: number, pcapngPath?: string, onProgress?: (bytes: number) => void, markAtBytes?: number): SynthResult {
  const rng = new Rng(0x5eed);
  const pcap = new CaptureWriter(pcapPath, 'pcap');
  const pcapng = pcapngPath ? new CaptureWriter(pcapngPath, 'pcapng') : undefined;
  const frame = new Uint8Array(1514);
  const dv = new DataView(frame.buffer);
  const pool = new Uint8Array(1 << 16);
  for (let i = 0; i < pool.length; i++) pool[i] = rng.u32() & 0xff;
  const enc = new TextEncoder();
  const http = enc.encode('GET /index.html HTTP/1.1\r\nHost: www.example.net\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: */*\r\n\r\n');
  const httpReply = enc.encode('HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n');
  const dnsNames = ['www.example.com', 'mail.example.org', 'cdn.example.net', 'api.example.com', 'updates.example.org', 'ntp.example.net'];
  let ts = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z in microseconds
  let ipId = 1;
  let written = 0;

  // Ethernet: our router's MAC and the upstream's; direction decides which is which.
  const macIn = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01];
  const macOut = [0x00, 0x0c, 0x29, 0x7d, 0x12, 0x02];

  const emit = (len: number): void => {
    ts += 1 + Math.floor(-Math.log(1 - rng.float()) * 45); // ~22k packets/s, bursty
    if (len < 60) { frame.fill(0, len, 60); len = 60; }
    pcap.write(ts, frame, len);
    pcapng?.write(ts, frame, len);
    written += len + 16;
  };

  /** Ethernet + IPv4 header for `payloadLen` bytes of L4; returns the L4 offset (34). */
  const ip = (src: number, dst: number, proto: number, l4Len: number, ttl: number): number => {
    const outbound = (src & 0xffffff00) === OUR_NET;
    frame.set(outbound ? macOut : macIn, 0);
    frame.set(outbound ? macIn : macOut, 6);
    dv.setUint16(12, 0x0800);
    dv.setUint32(14, 0x45000000 | (20 + l4Len));
    dv.setUint32(18, ((ipId = (ipId + 1) & 0xffff) << 16) | 0x4000);
    dv.setUint32(22, (ttl << 24) | (proto << 16));
    dv.setUint32(26, src);
    dv.setUint32(30, dst);
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += dv.getUint16(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    dv.setUint16(24, ~sum & 0xffff);
    return 34;
  };

  const tcp = (src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, payload: number, ttl = 57): void => {
    const opts = flags & SYN ? 4 : 0; // MSS option on SYN and SYN/ACK
    const p = ip(src, dst, 6, 20 + opts + payload, ttl);
    dv.setUint16(p, sport);
    dv.setUint16(p + 2, dport);
    dv.setUint32(p + 4, seq >>> 0);
    dv.setUint32(p + 8, flags & ACK ? ack >>> 0 : 0);
    dv.setUint16(p + 12, (((20 + opts) / 4) << 12) | flags);
    dv.setUint16(p + 14, flags & SYN ? 64240 : 502);
    dv.setUint32(p + 16, 0);
    if (opts) dv.setUint32(p + 20, 0x020405b4);
    const data = p + 20 + opts;
    if (payload > 0) {
      const from = rng.int(pool.length - payload);
      frame.set(pool.subarray(from, from + payload), data);
      if (dport === 80 && payload === http.length) frame.set(http, data);
      else if (sport === 80 && payload >= httpReply.length && seq === httpStart) frame.set(httpReply, data);
      else if ((sport === 443 || dport === 443) && payload > 5) {
        // A TLS 1.2 application-data record header: type 23, version 3.3, length.
        dv.setUint32(data, 0x17030300 | ((payload - 5) >>> 8));
        frame[data + 4] = (payload - 5) & 0xff;
      }
    }
    emit(data + payload);
  };
  let httpStart = -1;

  /** A DNS A query (RFC 1035 4.1) or its answer with one or two A records. */
  const dns = (src: number, dst: number, sport: number, dport: number, id: number, name: string, answer: boolean): void => {
    const p = ip(src, dst, 17, 0, 61) + 8; // lengths filled in below
    let o = p;
    dv.setUint16(o, id); dv.setUint16(o + 2, answer ? 0x8180 : 0x0100);
    dv.setUint16(o + 4, 1); dv.setUint16(o + 6, answer ? 2 : 0); dv.setUint32(o + 8, 0);
    o += 12;
    for (const label of name.split('.')) { frame[o++] = label.length; frame.set(enc.encode(label), o); o += label.length; }
    frame[o++] = 0;
    dv.setUint32(o, 0x00010001); o += 4;
    if (answer) {
      for (let i = 0; i < 2; i++) {
        dv.setUint16(o, 0xc00c); dv.setUint32(o + 2, 0x00010001); dv.setUint32(o + 6, 300); dv.setUint16(o + 10, 4); dv.setUint32(o + 12, internetAddr(rng));
        o += 16;
      }
    }
    const l4 = 8 + (o - p);
    ip(src, dst, 17, l4, 61);
    dv.setUint16(34, sport); dv.setUint16(36, dport); dv.setUint16(38, l4); dv.setUint16(40, 0);
    emit(o);
  };


  const newConn = (): WebConn => {
    // Heavy-tailed response: most a few segments, some hundreds.
    const bytes = Math.min(2_000_000, Math.floor(800 + -Math.log(1 - rng.float()) * 40_000 * (rng.float() < 0.05 ? 10 : 1)));
    return {
      client: internetAddr(rng),
      server: WEB_SERVERS[rng.int(WEB_SERVERS.length)],
      cport: 1024 + rng.int(64000),
      sport: rng.float() < 0.7 ? 443 : 80,
      cseq: rng.u32(), sseq: rng.u32(), step: 0,
      segments: Math.ceil(bytes / MSS), total: Math.ceil(bytes / MSS), lastLen: bytes % MSS || MSS, sinceAck: 0,
    };
  };
  const conns: WebConn[] = Array.from({ length: 600 }, newConn);

  /** Advance one web connection by one packet. */
  const webStep = (c: WebConn): boolean => {
    switch (c.step) {
      case 0: tcp(c.client, c.server, c.cport, c.sport, c.cseq, 0, SYN, 0); c.cseq++; c.step = 1; return true;
      case 1: tcp(c.server, c.client, c.sport, c.cport, c.sseq, c.cseq, SYN | ACK, 0, 64); c.sseq++; c.step = 2; return true;
      case 2: tcp(c.client, c.server, c.cport, c.sport, c.cseq, c.sseq, ACK, 0); c.step = 3; return true;
      case 3: {
        const req = c.sport === 80 ? http.length : 200 + rng.int(500);
        tcp(c.client, c.server, c.cport, c.sport, c.cseq, c.sseq, PSH | ACK, req); c.cseq += req; c.step = 4; return true;
      }
      case 4: {
        if (c.sinceAck >= 2) {
          tcp(c.client, c.server, c.cport, c.sport, c.cseq, c.sseq, ACK, 0);
          c.sinceAck = 0;
          return true;
        }
        const len = c.segments === 1 ? c.lastLen : MSS;
        httpStart = c.segments === c.total ? c.sseq : -1;
        tcp(c.server, c.client, c.sport, c.cport, c.sseq, c.cseq, c.segments === 1 ? PSH | ACK : ACK, len, 64);
        c.sseq += len; c.sinceAck++;
        if (--c.segments === 0) c.step = 5;
        return true;
      }
      case 5: tcp(c.server, c.client, c.sport, c.cport, c.sseq, c.cseq, FIN | ACK, 0, 64); c.sseq++; c.step = 6; return true;
      case 6: tcp(c.client, c.server, c.cport, c.sport, c.cseq, c.sseq, FIN | ACK, 0); c.cseq++; c.step = 7; return true;
      case 7: tcp(c.server, c.client, c.sport, c.cport, c.sseq, c.cseq, ACK, 0, 64); return false;
      default: return false;
    }
  };

  let mark: SynthResult['mark'];
  let floodPending: { src: number; port: number; seq: number } | null = null;
  let scanPort = 1;
  let scanHost = 1;

  while (written < targetBytes) {
    const r = rng.float();
    if (r < 0.72) {
      const i = rng.int(conns.length);
      const c = conns[i];
      const responding = c.step === 4 && c.sinceAck < 2;
      if (!webStep(c)) conns[i] = newConn();
      if (responding && markAtBytes !== undefined && !mark && written >= markAtBytes) {
        mark = { packet: pcap.packets - 1, ts, client: c.client, server: c.server, sport: c.sport };
      }
    } else if (r < 0.86) {
      if (floodPending) {
        // Backscatter: our SYN/ACK to the spoofed source, sometimes retransmitted.
        const f = floodPending;
        const synack = rng.u32();
        tcp(FLOOD_VICTIM, f.src, 80, f.port, synack, f.seq + 1, SYN | ACK, 0, 64);
        if (rng.float() < 0.1) tcp(FLOOD_VICTIM, f.src, 80, f.port, synack, f.seq + 1, SYN | ACK, 0, 64);
        floodPending = null;
      } else {
        const f = { src: internetAddr(rng), port: 1024 + rng.int(64000), seq: rng.u32() };
        tcp(f.src, FLOOD_VICTIM, f.port, 80, f.seq, 0, SYN, 0, 240);
        floodPending = f;
      }
    } else if (r < 0.94) {
      const host = OUR_NET + 100 + rng.int(50);
      const sport = 1024 + rng.int(64000);
      const id = rng.u32() & 0xffff;
      const name = dnsNames[rng.int(dnsNames.length)];
      dns(host, RESOLVER, sport, 53, id, name, false);
      dns(RESOLVER, host, 53, sport, id, name, true);
    } else {
      const target = OUR_NET + scanHost;
      const sport = 40000 + (scanPort & 0xff);
      const seq = rng.u32();
      tcp(SCANNER, target, sport, scanPort, seq, 0, SYN, 0, 48);
      if (OPEN_PORTS.has(scanPort)) tcp(target, SCANNER, scanPort, sport, rng.u32(), seq + 1, SYN | ACK, 0, 64);
      else tcp(target, SCANNER, scanPort, sport, 0, seq + 1, RST | ACK, 0, 64);
      if (++scanPort > 1024) { scanPort = 1; scanHost = (scanHost % 254) + 1; }
    }
    if ((pcap.packets & 0xffff) === 0) onProgress?.(written);
  }
  pcap.close();
  pcapng?.close();
  return { packets: pcap.packets, pcapBytes: pcap.bytes, pcapngBytes: pcapng?.bytes, mark };
}
