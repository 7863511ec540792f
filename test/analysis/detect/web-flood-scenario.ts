import { tcpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';

/**
 * One web server's traffic during a spoofed SYN flood, written as a capture
 * so the same conversations can be read as packets and, through real argus
 * and ra, as flow records (test/fixtures/argus/web-flood.*.txt were made from
 * test/fixtures/pcap/web-flood.pcap, which is `webFloodPcap()`).
 *
 *  - 22 forged sources (203.0.113.10-31) send one SYN each to port 80; the
 *    server answers each with a SYN-ACK that nobody acknowledges.
 *  - The complainant's address (COMPLAINANT) is forged on 6 of the SYNs, from
 *    6 source ports: our 6 SYN-ACKs to those ports are what they reported.
 *  - A client behind one NAT address (NAT_CLIENT) really browses: 6 complete
 *    HTTP connections from 6 ports, each with a request and a response.
 */
export const SERVER = '198.51.100.80';
export const COMPLAINANT = '192.0.2.66';
export const NAT_CLIENT = '192.0.2.200';
export const FORGED = Array.from({ length: 22 }, (_, i) => `203.0.113.${10 + i}`);
export const COMPLAINANT_PORTS = [40001, 40002, 40003, 40004, 40005, 40006];
export const NAT_PORTS = [51000, 51013, 51026, 51039, 51052, 51065];
/** 2025-12-18 00:40:00 UTC in microseconds. */
export const T0 = Date.UTC(2025, 11, 18, 0, 40, 0) * 1000;

export function webFloodFrames(): Frame[] {
  const frames: Frame[] = [];
  const at = (us: number, data: Uint8Array): void => { frames.push({ ts: T0 + us, data }); };
  // Forged SYNs: scattered TTLs, one tool's window and no options; answered by SYN-ACK.
  FORGED.forEach((src, i) => {
    const sport = 1024 + ((i * 7919) % 60000);
    at(i * 20_000, tcpFrame({ src, dst: SERVER, sport, dport: 80, flags: 'S', window: 512, ttl: 40 + ((i * 13) % 60), seq: 1000 + i }));
    at(i * 20_000 + 150, tcpFrame({ src: SERVER, dst: src, sport: 80, dport: sport, flags: 'SA', seq: 9000 + i, ack: 1001 + i }));
  });
  COMPLAINANT_PORTS.forEach((sport, i) => {
    const t = 5_000 + i * 70_000;
    at(t, tcpFrame({ src: COMPLAINANT, dst: SERVER, sport, dport: 80, flags: 'S', window: 512, ttl: 51 + i, seq: 7000 + i }));
    at(t + 150, tcpFrame({ src: SERVER, dst: COMPLAINANT, sport: 80, dport: sport, flags: 'SA', seq: 8000 + i, ack: 7001 + i }));
  });
  NAT_PORTS.forEach((sport, i) => {
    const t = 1_000_000 + i * 300_000;
    const c = { src: NAT_CLIENT, dst: SERVER, sport, dport: 80 };
    const s = { src: SERVER, dst: NAT_CLIENT, sport: 80, dport: sport };
    at(t, tcpFrame({ ...c, flags: 'S', seq: 100, options: [2, 4, 5, 0xb4] }));
    at(t + 20_000, tcpFrame({ ...s, flags: 'SA', seq: 500, ack: 101 }));
    at(t + 40_000, tcpFrame({ ...c, flags: 'A', seq: 101, ack: 501 }));
    at(t + 41_000, tcpFrame({ ...c, flags: 'PA', seq: 101, ack: 501, payload: `GET /img/${i}.png HTTP/1.1\r\nHost: www.example.net\r\nUser-Agent: Mozilla/5.0\r\n\r\n` }));
    at(t + 60_000, tcpFrame({ ...s, flags: 'PA', seq: 501, ack: 180, payload: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' }));
    at(t + 80_000, tcpFrame({ ...c, flags: 'FA', seq: 180, ack: 539 }));
    at(t + 100_000, tcpFrame({ ...s, flags: 'FA', seq: 539, ack: 181 }));
    at(t + 120_000, tcpFrame({ ...c, flags: 'A', seq: 181, ack: 540 }));
  });
  return frames.sort((a, b) => a.ts - b.ts);
}

export function webFloodPcap(): Uint8Array {
  return writePcap(webFloodFrames());
}
