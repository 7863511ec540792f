import { ACK, FrameWriter, payloadPool, RST, SYN } from './frames';
import { dotted, isPublicUnicast, mix32, Rng } from './rng';
import { cet, complaintMail, OUR_NET, OUR_NET_CIDR, START_MICROS, type Generated, type Mark, type Shape } from './shape';

/**
 * A spoofed SYN flood against our web server 198.51.100.10, as a border
 * capture sees it: 60-byte SYNs from millions of forged sources (each drawn
 * once: distinct by construction), one flooding tool's fingerprint (window
 * 512, no options) with scattered TTLs, and our answers: a SYN-ACK from
 * port 80 for each (a tenth retransmitted a second later), an RST/ACK from
 * the closed port 8080 for the 5% aimed there. 0.2% of the SYNs carry the
 * complainant 203.0.113.77 as their source, so our answers reach them and
 * their IDS reports "a port scan from 198.51.100.10 port 80".
 */

const VICTIM = OUR_NET + 10;
const COMPLAINANT = 0xcb00714d; // 203.0.113.77
const COMPLAINANT_SHARE = 0.002;
const CLOSED_PORT = 8080;
const CLOSED_SHARE = 0.05;
const RETRANSMIT_SHARE = 0.1;
const RETRANSMIT_AFTER = 1_000_000;
/** Mean gap between flood SYNs: about 60,000 SYNs/s. */
const SYN_GAP_MICROS = 16;
/** The slice starts half-way through the capture. */
const SLICE_AT = 0.5;

interface Pending { due: number; src: number; sport: number; isn: number; ack: number }

export const floodShape: Shape = {
  id: 'flood',
  title: 'spoofed SYN flood',
  version: 1,
  ourNet: OUR_NET_CIDR,
  generate(path: string, targetBytes: number, onProgress: (bytes: number) => void): Generated {
    const rng = new Rng(0xf100d);
    const fw = new FrameWriter(path, START_MICROS, (a) => (a & 0xffffff00) === OUR_NET, payloadPool(() => rng.u32()));
    // Forged sources: a bijective mix of a counter, filtered to public unicast, so none repeats.
    let counter = 0x1234567;
    const forged = (): number => {
      for (;;) {
        const a = mix32(counter++);
        if (isPublicUnicast(a)) return a;
      }
    };
    const retransmits: Pending[] = [];
    let head = 0;
    const facts = { syns: 0, forgedSources: 0, complainantSyns: 0, synAcks: 0, synAckRetransmits: 0, rsts: 0 };
    let mark: Mark | undefined;
    const markBytes = targetBytes * SLICE_AT;

    while (fw.bytes < targetBytes) {
      fw.ts += 1 + Math.floor(rng.exp(SYN_GAP_MICROS));
      while (head < retransmits.length && retransmits[head].due <= fw.ts) {
        const p = retransmits[head++];
        fw.tcp(VICTIM, p.src, 80, p.sport, p.isn, p.ack, SYN | ACK, 0, { ttl: 64, window: 64240, mss: true });
        facts.synAckRetransmits++;
      }
      if (head > 4096 && head * 2 > retransmits.length) { retransmits.splice(0, head); head = 0; }
      if (!mark && fw.bytes >= markBytes) mark = { packet: fw.packets, ts: fw.ts };

      const fromComplainant = rng.float() < COMPLAINANT_SHARE;
      const src = fromComplainant ? COMPLAINANT : forged();
      if (fromComplainant) facts.complainantSyns++;
      else facts.forgedSources++;
      const sport = 1024 + rng.int(64512);
      const seq = rng.u32();
      const dport = rng.float() < CLOSED_SHARE ? CLOSED_PORT : 80;
      fw.tcp(src, VICTIM, sport, dport, seq, 0, SYN, 0, { ttl: 30 + rng.int(225), window: 512, ipId: rng.u32() & 0xffff });
      facts.syns++;

      fw.ts += 3 + rng.int(40);
      if (dport === 80) {
        const isn = rng.u32();
        fw.tcp(VICTIM, src, 80, sport, isn, seq + 1, SYN | ACK, 0, { ttl: 64, window: 64240, mss: true });
        facts.synAcks++;
        if (rng.float() < RETRANSMIT_SHARE) retransmits.push({ due: fw.ts + RETRANSMIT_AFTER, src, sport, isn, ack: seq + 1 });
      } else {
        fw.tcp(VICTIM, src, CLOSED_PORT, sport, 0, seq + 1, RST | ACK, 0, { ttl: 64, window: 0 });
        facts.rsts++;
      }
      if ((fw.packets & 0xffff) < 3) onProgress(fw.bytes);
    }
    fw.close();
    const at = mark ?? { packet: 0, ts: START_MICROS };
    const complaint = complaintMail('ids@example.net', 'port scan from 198.51.100.10',
      `Our IDS detected a port scan from 198.51.100.10 port 80 against ${dotted(COMPLAINANT)} at ${cet(at.ts)}.\n`
      + 'Many of our ports received packets from your host within seconds. Please stop this activity.',
      at.ts);
    return { packets: fw.packets, bytes: fw.bytes, mark: at, complaint, facts };
  },
};
