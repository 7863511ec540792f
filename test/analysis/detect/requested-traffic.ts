import { Capture } from '../../helpers/reply-evidence';
import { ethernet, icmpFrame, ipv4, udpDatagram } from '../../helpers/pcap-writer';

/** Synthetic traffic for answer-to-their-request: an IRC server's ident callbacks, active FTP, traceroute, and our own unasked connections. */
export const US = '198.51.100.10';
export const THEM = '203.0.113.5';
export const T0 = Date.UTC(2025, 11, 18, 2, 0, 0) * 1000;

/**
 * Clients connect to our IRC server (port 6667); the server asks each one's
 * identd (RFC 1413) 0.2 s later. `refused`: their host answers the ident SYN
 * with RST (no identd), as most do. `delayUs`: how long after the connection the server asks (default 0.2 s).
 */
export function identCallbacks(cap: Capture, clients: string[], o: { start?: number; refused?: boolean; delayUs?: number } = {}): Capture {
  let t = o.start ?? T0;
  clients.forEach((c, i) => {
    const sport = 50000 + i;
    t += 1_000_000;
    cap.tcp(t, { src: c, dst: US, sport, dport: 6667, flags: 'S', seq: 10 })
      .tcp(t + 1000, { src: US, dst: c, sport: 6667, dport: sport, flags: 'SA', seq: 900, ack: 11 })
      .tcp(t + 2000, { src: c, dst: US, sport, dport: 6667, flags: 'A', seq: 11, ack: 901 });
    const it = t + (o.delayUs ?? 200_000);
    const isport = 40000 + i;
    cap.tcp(it, { src: US, dst: c, sport: isport, dport: 113, flags: 'S', seq: 3000 });
    if (o.refused ?? true) cap.tcp(it + 500, { src: c, dst: US, sport: 113, dport: isport, flags: 'RA', seq: 0, ack: 3001 });
  });
  return cap;
}

/**
 * An active-mode FTP session: their client sends PORT before each of `n`
 * LISTs of an empty directory, our server connects from port 20 to the port
 * named. No data flows on the data connections (empty listings), so each one
 * looks like a connect probe to a scan detector.
 */
export function activeFtp(cap: Capture, n: number, o: { start?: number; portFor?: (i: number) => number } = {}): Capture {
  let t = o.start ?? T0;
  const c = { src: THEM, dst: US, sport: 41000, dport: 21 };
  const s = { src: US, dst: THEM, sport: 21, dport: 41000 };
  cap.tcp(t, { ...c, flags: 'S', seq: 1 }).tcp(t + 100, { ...s, flags: 'SA', seq: 1, ack: 2 }).tcp(t + 200, { ...c, flags: 'A', seq: 2, ack: 2 });
  let cs = 2, ss = 2;
  for (let i = 0; i < n; i++) {
    t += 500_000;
    const port = 30000 + i * 17;
    const asked = o.portFor ? o.portFor(i) : port;
    const cmd = `PORT 203,0,113,5,${asked >> 8},${asked & 255}\r\n`;
    cap.tcp(t, { ...c, flags: 'PA', seq: cs, ack: ss, payload: cmd }); cs += cmd.length;
    cap.tcp(t + 300, { ...s, flags: 'PA', seq: ss, ack: cs, payload: '200 PORT command successful.\r\n' }); ss += 30;
    cap.tcp(t + 400, { ...c, flags: 'PA', seq: cs, ack: ss, payload: 'LIST\r\n' }); cs += 6;
    const d = { src: US, dst: THEM, sport: 20, dport: port };
    const b = { src: THEM, dst: US, sport: port, dport: 20 };
    cap.tcp(t + 600, { ...d, flags: 'S', seq: 7000 }).tcp(t + 700, { ...b, flags: 'SA', seq: 8000, ack: 7001 })
      .tcp(t + 800, { ...d, flags: 'A', seq: 7001, ack: 8001 }).tcp(t + 900, { ...d, flags: 'FA', seq: 7001, ack: 8001 })
      .tcp(t + 1000, { ...b, flags: 'FA', seq: 8001, ack: 7002 }).tcp(t + 1100, { ...d, flags: 'A', seq: 7002, ack: 8002 });
    cap.tcp(t + 1200, { ...s, flags: 'PA', seq: ss, ack: cs, payload: '226 Directory send OK.\r\n' }); ss += 24;
  }
  return cap;
}

/** Our host connecting, unasked, to `port` of each host (their port 20 or 113 with no request from them). */
export function unasked(cap: Capture, hosts: string[], port: number, o: { start?: number; sport?: number } = {}): Capture {
  let t = o.start ?? T0;
  hosts.forEach((h, i) => {
    t += 50_000;
    const sport = o.sport ?? 45000 + i;
    cap.tcp(t, { src: US, dst: h, sport, dport: port, flags: 'S', seq: 5 })
      .tcp(t + 300, { src: h, dst: US, sport: port, dport: sport, flags: 'RA', seq: 0, ack: 6 });
  });
  return cap;
}

/** A UDP traceroute probe from them through or to our host, and (`answer`) the ICMP error our host sends back quoting it. */
export function traceProbe(cap: Capture, t: number, o: { dst: string; ttl: number; dport: number; sport?: number; answer?: 'time-exceeded' | 'unreachable'; from?: string }): Capture {
  const sport = o.sport ?? 39000;
  const from = o.from ?? THEM;
  const udp = udpDatagram({ src: from, dst: o.dst, sport, dport: o.dport, payload: new Uint8Array(32) });
  const ip = ipv4(from, o.dst, 17, udp, { ttl: o.ttl });
  cap.raw(t, ethernet(ip, 0x0800), { proto: 'udp', src: from, dst: o.dst, sport, dport: o.dport, payloadLength: 32 });
  if (o.answer) {
    // The error quotes the probe's IP header and its first 8 bytes (RFC 792), with the TTL it had on arrival.
    const [type, code] = o.answer === 'time-exceeded' ? [11, 0] : [3, 3];
    const frame = icmpFrame(US, from, type, code, ip.subarray(0, 28));
    // (PacketFacts knows TCP and UDP only: the facts of an ICMP frame are its addresses.)
    cap.raw(t + 40, frame, { proto: 'udp', src: US, dst: from });
  }
  return cap;
}


/**
 * An ICMP echo probe from them (mtr, traceroute -I) with identifier 7 and
 * sequence `seq`, and our answer: time exceeded quoting it (it reached us
 * with TTL 1 on its way to `dst`) or, to our own address, an echo reply.
 */
export function echoProbe(cap: Capture, t: number, o: { dst: string; ttl: number; seq: number; answer?: 'time-exceeded' | 'echo-reply' }): Capture {
  const echo = (type: number): Uint8Array => new Uint8Array([type, 0, 0, 0, 0, 7, o.seq >> 8, o.seq & 255, ...new Array(24).fill(0x61)]);
  const ip = ipv4(THEM, o.dst, 1, echo(8), { ttl: o.ttl });
  cap.raw(t, ethernet(ip, 0x0800), { proto: 'udp', src: THEM, dst: o.dst });
  if (o.answer === 'time-exceeded') cap.raw(t + 40, icmpFrame(US, THEM, 11, 0, ip.subarray(0, 28)), { proto: 'udp', src: US, dst: THEM });
  if (o.answer === 'echo-reply') cap.raw(t + 40, ethernet(ipv4(US, THEM, 1, echo(0)), 0x0800), { proto: 'udp', src: US, dst: THEM });
  return cap;
}
