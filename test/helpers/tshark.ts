import { execFileSync } from 'node:child_process';

export interface TsharkPacket {
  number: number;
  /** Microseconds since the epoch; undefined for packets without a time (pcapng Simple Packet Blocks). */
  ts?: number;
  /** Outer IP protocol: tshark's port fields of an ICMP error come from the packet it quotes. */
  proto?: number;
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
}

/** Whether tshark is installed (.ci/run installs it; the tests say so when it is missing). */
export function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The outermost addresses and ports of every packet as tshark dissects them,
 * without IP reassembly so a non-first fragment has no ports, as in ours.
 */
export function tsharkPackets(file: string): TsharkPacket[] {
  const out = execFileSync('tshark', [
    '-r', file, '-n', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE',
    '-T', 'fields', '-E', 'occurrence=f',
    '-e', 'frame.number', '-e', 'frame.time_epoch',
    '-e', 'ip.src', '-e', 'ip.dst', '-e', 'ipv6.src', '-e', 'ipv6.dst',
    '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'udp.srcport', '-e', 'udp.dstport',
    '-e', 'ip.proto', '-e', 'ipv6.nxt',
  ], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const packets: TsharkPacket[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [num, epoch, ip4s, ip4d, ip6s, ip6d, ts, td, us, ud, proto4, proto6] = line.split('\t');
    const [sec, frac = ''] = epoch.split('.');
    const p: TsharkPacket = { number: Number(num) };
    if (epoch) p.ts = Number(sec) * 1_000_000 + Number((frac + '000000').slice(0, 6));
    const proto = proto4 || proto6;
    if (proto) p.proto = Number(proto);
    p.src = ip4s || ip6s || undefined;
    p.dst = ip4d || ip6d || undefined;
    const sp = ts || us;
    const dp = td || ud;
    const icmp = p.proto === 1 || p.proto === 58;
    if (sp && !icmp) p.sport = Number(sp);
    if (dp && !icmp) p.dport = Number(dp);
    packets.push(p);
  }
  return packets;
}
