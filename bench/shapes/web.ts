import { synthesise } from '../synth';
import { dotted } from './rng';
import { cet, complaintMail, OUR_NET_CIDR, type Generated, type Shape } from './shape';

/**
 * The long-flow web traffic of bench/synth.ts (~600 concurrent HTTP/HTTPS
 * downloads in full-size segments, with a small SYN flood, DNS and an inbound
 * scan mixed in). The complainant is a client that was downloading from our
 * server when the slice starts: their IDS saw our port 443 (or 80) send to
 * their ephemeral port.
 */
export const webShape: Shape = {
  id: 'web',
  title: 'long-flow web traffic',
  version: 1,
  ourNet: OUR_NET_CIDR,
  generate(path: string, targetBytes: number, onProgress: (bytes: number) => void): Generated {
    const r = synthesise(path, targetBytes, undefined, onProgress, targetBytes / 2);
    if (!r.mark) throw new Error('the web traffic wrote no response segment past its middle');
    const { client, server, sport, packet, ts } = r.mark;
    const complaint = complaintMail('abuse@example.net', `unsolicited traffic from ${dotted(server)}`,
      `We see unsolicited traffic from ${dotted(server)} port ${sport} against our host ${dotted(client)} at ${cet(ts)}:\n`
      + 'many packets to one of our high ports. Please make it stop.',
      ts);
    return {
      packets: r.packets, bytes: r.pcapBytes, mark: { packet, ts }, complaint,
      facts: {},
    };
  },
};
