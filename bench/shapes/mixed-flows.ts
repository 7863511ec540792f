import { ACK, CWR, ECE, FIN, FrameWriter, PSH, RST, SYN, URG } from './frames';
import { internetAddr, Rng } from './rng';
import { OUR_NET } from './shape';

/**
 * Ordinary mixed border traffic, one packet per `step()`: a few hundred
 * concurrent flows of random sizes, each a small script (a generator that
 * writes one packet per resumption), replaced when it ends.
 *
 * TCP: sessions to our servers and from our clients (handshake, request,
 * response of log-uniform length in full or random-sized segments, delayed
 * ACKs, FIN or RST teardown or none; 10% negotiate ECN and carry ECE/CWR,
 * some data carries URG), interactive sessions of small segments, refused
 * connections (RST/ACK), unanswered SYNs with retransmissions, and stray
 * inbound probes with odd flags (FIN, NULL, Xmas, SYN+FIN, bare ACK).
 * UDP: DNS, NTP, syslog, and bulk QUIC-like streams.
 */

const SERVERS = [10, 11, 12, 13, 14].map((h) => OUR_NET + h);
const SERVER_PORTS = [80, 443, 443, 443, 22, 25, 993];
const CLIENTS = Array.from({ length: 100 }, (_, i) => OUR_NET + 100 + i);
const RESOLVER = 0x09090909;
const NTP_SERVER = 0xc23a2a01;
const SYSLOG = 0x5db8d822;
const MSS = 1460;
/** Concurrent flows. */
const ACTIVE = 300;

type Script = Generator<void, void, void>;

export interface RegularClient {
  /** A complainant that keeps connecting to one of our services (their IDS sees our answers). */
  client: number;
  server: number;
  port: number;
  /** Share of new flows that are theirs. */
  share: number;
}

export interface MixedCounts { flows: number; tcpFlows: number; udpFlows: number; regularClientFlows: number }

export class MixedTraffic {
  private readonly active: Script[] = [];
  readonly counts: MixedCounts = { flows: 0, tcpFlows: 0, udpFlows: 0, regularClientFlows: 0 };

  constructor(private readonly fw: FrameWriter, private readonly rng: Rng, private readonly regular?: RegularClient) {
    for (let i = 0; i < ACTIVE; i++) this.active.push(this.newFlow());
  }

  /** Write one packet of a random active flow (each script yields after every packet it writes). */
  step(): void {
    this.fw.ts += 1 + Math.floor(this.rng.exp(30));
    const i = this.rng.int(this.active.length);
    while (this.active[i].next().done) this.active[i] = this.newFlow();
  }

  private newFlow(): Script {
    const rng = this.rng;
    this.counts.flows++;
    if (this.regular && rng.float() < this.regular.share) {
      this.counts.regularClientFlows++;
      this.counts.tcpFlows++;
      const r = this.regular;
      return this.session(r.client, r.server, 32768 + rng.int(28000), r.port, 2 + rng.int(12), false, 52);
    }
    const r = rng.float();
    if (r < 0.8) {
      this.counts.tcpFlows++;
      if (r < 0.55) {
        const inbound = rng.float() < 0.6;
        const client = inbound ? internetAddr(rng) : CLIENTS[rng.int(CLIENTS.length)];
        const server = inbound ? SERVERS[rng.int(SERVERS.length)] : internetAddr(rng);
        const port = inbound ? SERVER_PORTS[rng.int(SERVER_PORTS.length)] : rng.float() < 0.8 ? 443 : 80;
        return this.session(client, server, 1024 + rng.int(64000), port, logUniform(rng, 300), rng.float() < 0.3, 40 + rng.int(80));
      }
      if (r < 0.62) return this.interactive(internetAddr(rng), SERVERS[rng.int(SERVERS.length)], 1024 + rng.int(64000), 20 + rng.int(200));
      if (r < 0.7) return this.refused(internetAddr(rng), SERVERS[rng.int(SERVERS.length)], 1024 + rng.int(64000), 1 + rng.int(1024));
      if (r < 0.76) return this.unanswered(CLIENTS[rng.int(CLIENTS.length)], internetAddr(rng), 1024 + rng.int(64000), rng.float() < 0.5 ? 443 : 8443);
      return this.oddProbe(internetAddr(rng), OUR_NET + 1 + rng.int(254), 1024 + rng.int(64000), 1 + rng.int(1024));
    }
    this.counts.udpFlows++;
    const client = CLIENTS[rng.int(CLIENTS.length)];
    const cport = 1024 + rng.int(64000);
    if (r < 0.88) return this.udpExchange(client, RESOLVER, cport, 53, 30 + rng.int(30), 60 + rng.int(200), 1);
    if (r < 0.91) return this.udpExchange(client, NTP_SERVER, 123, 123, 48, 48, 1);
    if (r < 0.94) return this.udpOneWay(client, SYSLOG, cport, 514, 1 + rng.int(20));
    return this.udpBulk(client, internetAddr(rng), cport, 443, logUniform(rng, 400));
  }

  /** Handshake, request, `segments` response segments, teardown. */
  private *session(c: number, s: number, cport: number, sport: number, segments: number, randomSizes: boolean, cttl: number): Script {
    const { fw, rng } = this;
    const ecn = rng.float() < 0.1;
    const urg = rng.float() < 0.03;
    let cseq = rng.u32();
    let sseq = rng.u32();
    const ct = { ttl: cttl, window: 502 };
    const st = { ttl: 64, window: 501 };
    fw.tcp(c, s, cport, sport, cseq++, 0, SYN | (ecn ? ECE | CWR : 0), 0, { ttl: cttl, window: 64240, mss: true }); yield;
    fw.tcp(s, c, sport, cport, sseq++, cseq, SYN | ACK | (ecn ? ECE : 0), 0, { ttl: 64, window: 65160, mss: true }); yield;
    fw.tcp(c, s, cport, sport, cseq, sseq, ACK, 0, ct); yield;
    const req = 80 + rng.int(600);
    fw.tcp(c, s, cport, sport, cseq, sseq, PSH | ACK, req, ct); cseq += req; yield;
    let unacked = 0;
    for (let i = 0; i < segments; i++) {
      const len = randomSizes ? 1 + rng.int(MSS) : i === segments - 1 ? 1 + rng.int(MSS) : MSS;
      let flags = ACK | (i === segments - 1 ? PSH : 0);
      if (ecn && rng.float() < 0.02) flags |= ECE;
      const urgent = urg && i === 0;
      if (urgent) flags |= URG;
      fw.tcp(s, c, sport, cport, sseq, cseq, flags, len, { ...st, urgent: urgent ? 1 : 0 }); sseq += len; yield;
      if (++unacked >= 2 || i === segments - 1) {
        fw.tcp(c, s, cport, sport, cseq, sseq, ACK | (ecn && flags & ECE ? CWR : 0), 0, ct); unacked = 0; yield;
      }
    }
    const end = rng.float();
    if (end < 0.8) {
      fw.tcp(c, s, cport, sport, cseq++, sseq, FIN | ACK, 0, ct); yield;
      fw.tcp(s, c, sport, cport, sseq++, cseq, FIN | ACK, 0, st); yield;
      fw.tcp(c, s, cport, sport, cseq, sseq, ACK, 0, ct); yield;
    } else if (end < 0.9) {
      fw.tcp(c, s, cport, sport, cseq, sseq, RST | ACK, 0, ct); yield;
    } else if (end < 0.95) {
      fw.tcp(s, c, sport, cport, sseq, 0, RST, 0, st); yield;
    }
    // else: still open when the capture moves on.
  }

  /** SSH-like: small segments both ways. */
  private *interactive(c: number, s: number, cport: number, packets: number): Script {
    const { fw, rng } = this;
    let cseq = rng.u32();
    let sseq = rng.u32();
    fw.tcp(c, s, cport, 22, cseq++, 0, SYN, 0, { ttl: 50, window: 64240, mss: true }); yield;
    fw.tcp(s, c, 22, cport, sseq++, cseq, SYN | ACK, 0, { window: 65160, mss: true }); yield;
    fw.tcp(c, s, cport, 22, cseq, sseq, ACK, 0, { ttl: 50 }); yield;
    for (let i = 0; i < packets; i++) {
      const len = 36 + 16 * rng.int(8);
      if (rng.float() < 0.5) { fw.tcp(c, s, cport, 22, cseq, sseq, PSH | ACK, len, { ttl: 50 }); cseq += len; }
      else { fw.tcp(s, c, 22, cport, sseq, cseq, PSH | ACK, len); sseq += len; }
      yield;
    }
    fw.tcp(c, s, cport, 22, cseq++, sseq, FIN | ACK, 0, { ttl: 50 }); yield;
    fw.tcp(s, c, 22, cport, sseq++, cseq, FIN | ACK, 0); yield;
    fw.tcp(c, s, cport, 22, cseq, sseq, ACK, 0, { ttl: 50 }); yield;
  }

  private *refused(c: number, s: number, cport: number, sport: number): Script {
    const seq = this.rng.u32();
    this.fw.tcp(c, s, cport, sport, seq, 0, SYN, 0, { ttl: 47, window: 64240, mss: true }); yield;
    this.fw.tcp(s, c, sport, cport, 0, seq + 1, RST | ACK, 0, { window: 0 }); yield;
  }

  private *unanswered(c: number, s: number, cport: number, sport: number): Script {
    const seq = this.rng.u32();
    for (let i = 0; i < 3; i++) {
      this.fw.tcp(c, s, cport, sport, seq, 0, SYN, 0, { window: 64240, mss: true }); yield;
    }
  }

  /** A stray probe with odd flags; closed ports answer RST as RFC 9293 3.10.7.1 says. */
  private *oddProbe(c: number, s: number, cport: number, sport: number): Script {
    const { fw, rng } = this;
    const kinds = [FIN, 0, FIN | PSH | URG, SYN | FIN, ACK];
    const flags = kinds[rng.int(kinds.length)];
    const seq = rng.u32();
    const ack = rng.u32();
    fw.tcp(c, s, cport, sport, seq, ack, flags, 0, { ttl: 44, window: 1024 }); yield;
    // A bare ACK gets an RST and a SYN+FIN is answered like a SYN (refused); FIN, NULL and Xmas probes meet an open or filtered port: no answer.
    if (flags & ACK) { fw.tcp(s, c, sport, cport, ack, 0, RST, 0, { window: 0 }); yield; }
    else if (flags & SYN) { fw.tcp(s, c, sport, cport, 0, seq + 1, RST | ACK, 0, { window: 0 }); yield; }
  }

  private *udpExchange(c: number, s: number, cport: number, sport: number, qLen: number, aLen: number, rounds: number): Script {
    for (let i = 0; i < rounds; i++) {
      this.fw.udp(c, s, cport, sport, qLen); yield;
      this.fw.udp(s, c, sport, cport, aLen, 58); yield;
    }
  }

  private *udpOneWay(c: number, s: number, cport: number, sport: number, n: number): Script {
    for (let i = 0; i < n; i++) {
      this.fw.udp(c, s, cport, sport, 60 + this.rng.int(400)); yield;
    }
  }

  /** QUIC-like: a client hello, then mostly 1200-byte datagrams from the server and small ones back. */
  private *udpBulk(c: number, s: number, cport: number, sport: number, datagrams: number): Script {
    const { fw, rng } = this;
    fw.udp(c, s, cport, sport, 1200); yield;
    for (let i = 0; i < datagrams; i++) {
      if (rng.float() < 0.8) fw.udp(s, c, sport, cport, 1200, 55);
      else fw.udp(c, s, cport, sport, 30 + rng.int(40));
      yield;
    }
  }
}

/** 1..max, log-uniform: many small, a few large. */
export function logUniform(rng: Rng, max: number): number {
  return Math.max(1, Math.floor(Math.exp(rng.float() * Math.log(max + 1))));
}
