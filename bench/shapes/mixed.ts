import { FrameWriter, payloadPool } from './frames';
import { MixedTraffic } from './mixed-flows';
import { dotted, Rng } from './rng';
import { cet, complaintMail, OUR_NET, OUR_NET_CIDR, START_MICROS, type Generated, type Mark, type Shape } from './shape';

/**
 * 20,000+ mixed flows per GiB (TCP and UDP, every flag; see mixed-flows.ts),
 * among them a complainant, 192.0.2.44, who keeps opening short HTTPS
 * connections to our server 198.51.100.12 from ever new client ports: their
 * IDS takes our answers from port 443 to those ports for a scan.
 */

const SERVER = OUR_NET + 12;
const COMPLAINANT = 0xc000022c; // 192.0.2.44
const SLICE_AT = 0.5;

export const mixedShape: Shape = {
  id: 'mixed',
  title: 'mixed TCP/UDP flows of random sizes',
  version: 1,
  ourNet: OUR_NET_CIDR,
  generate(path: string, targetBytes: number, onProgress: (bytes: number) => void): Generated {
    const rng = new Rng(0x31eed);
    const fw = new FrameWriter(path, START_MICROS, (a) => (a & 0xffffff00) === OUR_NET, payloadPool(() => rng.u32()));
    const traffic = new MixedTraffic(fw, rng, { client: COMPLAINANT, server: SERVER, port: 443, share: 0.02 });
    let mark: Mark | undefined;
    while (fw.bytes < targetBytes) {
      if (!mark && fw.bytes >= targetBytes * SLICE_AT) mark = { packet: fw.packets, ts: fw.ts };
      traffic.step();
      if ((fw.packets & 0xffff) === 0) onProgress(fw.bytes);
    }
    fw.close();
    const at = mark ?? { packet: 0, ts: START_MICROS };
    const complaint = complaintMail('soc@example.com', 'port scan from 198.51.100.12',
      `Our firewall logged a port scan from 198.51.100.12 port 443 against ${dotted(COMPLAINANT)} at ${cet(at.ts)}:\n`
      + 'packets from your host to many different ports of ours. Please investigate.',
      at.ts);
    return { packets: fw.packets, bytes: fw.bytes, mark: at, complaint, facts: { ...traffic.counts } };
  },
};
