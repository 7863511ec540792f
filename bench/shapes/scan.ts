import { ACK, FrameWriter, payloadPool, RST, SYN } from './frames';
import { MixedTraffic } from './mixed-flows';
import { isPublicUnicast, mix32, Rng } from './rng';
import { cet, complaintMail, OUR_NET, OUR_NET_CIDR, START_MICROS, type Generated, type Mark, type Shape } from './shape';

/**
 * One of our hosts, 198.51.100.66, scanning while ordinary traffic goes on
 * (mixed-flows.ts): a vertical SYN scan of every port of 203.0.113.77 in a
 * shuffled order (nmap -sS: window 1024, MSS option, one source port; closed
 * ports answer RST/ACK, open ones SYN-ACK, which the scanner resets), and a
 * horizontal SYN scan of port 23 over ever new Internet addresses (mostly
 * unanswered). 3% of the packets are the scanner's; the complainant is the
 * vertical scan's target.
 */

const SCANNER = OUR_NET + 66;
const TARGET = 0xcb00714d; // 203.0.113.77
const TARGET_OPEN = new Set([22, 80, 443]);
const SCAN_SHARE = 0.03;
const SLICE_AT = 0.5;

export const scanShape: Shape = {
  id: 'scan',
  title: 'horizontal and vertical port scan in ordinary traffic',
  version: 1,
  ourNet: OUR_NET_CIDR,
  generate(path: string, targetBytes: number, onProgress: (bytes: number) => void): Generated {
    const rng = new Rng(0x5ca7);
    const fw = new FrameWriter(path, START_MICROS, (a) => (a & 0xffffff00) === OUR_NET, payloadPool(() => rng.u32()));
    const traffic = new MixedTraffic(fw, rng);
    const facts = { verticalProbes: 0, horizontalProbes: 0, targetOpenPortAnswers: 0 };
    let vertical = 0;
    let horizontal = 0x51ca7;
    let mark: Mark | undefined;
    while (fw.bytes < targetBytes) {
      if (!mark && fw.bytes >= targetBytes * SLICE_AT) mark = { packet: fw.packets, ts: fw.ts };
      if (rng.float() >= SCAN_SHARE) {
        traffic.step();
      } else if (rng.float() < 0.5) {
        // An odd multiplier shuffles 0..65535 without repeats; port 0 is skipped.
        let port = Math.imul(++vertical, 40503) & 0xffff;
        if (port === 0) port = Math.imul(++vertical, 40503) & 0xffff;
        const seq = rng.u32();
        fw.ts += 1 + rng.int(60);
        fw.tcp(SCANNER, TARGET, 61234, port, seq, 0, SYN, 0, { ttl: 64, window: 1024, mss: true });
        facts.verticalProbes++;
        fw.ts += 20 + rng.int(300);
        if (TARGET_OPEN.has(port)) {
          fw.tcp(TARGET, SCANNER, port, 61234, rng.u32(), seq + 1, SYN | ACK, 0, { ttl: 52, window: 64240, mss: true });
          fw.tcp(SCANNER, TARGET, 61234, port, seq + 1, 0, RST, 0, { ttl: 64, window: 0 });
          facts.targetOpenPortAnswers++;
        } else {
          fw.tcp(TARGET, SCANNER, port, 61234, 0, seq + 1, RST | ACK, 0, { ttl: 52, window: 0 });
        }
      } else {
        let host = mix32(horizontal++);
        while (!isPublicUnicast(host)) host = mix32(horizontal++);
        const seq = rng.u32();
        fw.ts += 1 + rng.int(60);
        fw.tcp(SCANNER, host, 61235, 23, seq, 0, SYN, 0, { ttl: 64, window: 1024, mss: true });
        facts.horizontalProbes++;
        const answer = rng.float();
        fw.ts += 20 + rng.int(300);
        if (answer < 0.1) fw.tcp(host, SCANNER, 23, 61235, 0, seq + 1, RST | ACK, 0, { ttl: 50, window: 0 });
        else if (answer < 0.15) {
          fw.tcp(host, SCANNER, 23, 61235, rng.u32(), seq + 1, SYN | ACK, 0, { ttl: 50, window: 14600, mss: true });
          fw.tcp(SCANNER, host, 61235, 23, seq + 1, 0, RST, 0, { ttl: 64, window: 0 });
        }
      }
      if ((fw.packets & 0xffff) < 3) onProgress(fw.bytes);
    }
    fw.close();
    const at = mark ?? { packet: 0, ts: START_MICROS };
    const complaint = complaintMail('noc@example.com', 'port scan from 198.51.100.66',
      `Your host 198.51.100.66 ran a port scan against 203.0.113.77: SYN packets to many of its TCP ports, around ${cet(at.ts)}.\n`
      + 'Please stop it and check the host for compromise.',
      at.ts);
    return { packets: fw.packets, bytes: fw.bytes, mark: at, complaint, facts: { ...facts, ...traffic.counts } };
  },
};
