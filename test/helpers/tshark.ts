import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cachedToolOutput, keyArgs } from './tool-cache';
import { hasTool, requireTool } from './tools';

/**
 * tshark as the reference reader. One tshark run per capture answers both the
 * per-packet and the per-conversation comparisons (`-T fields` prints the
 * packets, then `-z conv,tcp -z conv,udp` print their tables at the end), and
 * the answer is cached by file hash, tshark version and arguments
 * (tool-cache.ts), so the unit and slow tiers and later runs pay once.
 */

export interface TsharkPacket {
  number: number;
  /** Nanoseconds since the epoch, exact as tshark prints it; undefined for packets without a time (pcapng Simple Packet Blocks). */
  tsNs?: bigint;
  /** Microseconds since the epoch, truncated from tsNs as our reader does. */
  ts?: number;
  /** Length on the wire (frame.len). */
  length: number;
  /** Outer IP protocol: tshark's port fields of an ICMP error come from the packet it quotes. */
  proto?: number;
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  /**
   * The protocol whose dissection an exception cut short ("TCP" for a first
   * fragment holding part of a TCP header), from `_ws.unreassembled`,
   * `_ws.short` or `_ws.malformed`.
   */
  cutIn?: string;
  /** The final destination of an IPv6 type-0 routing header with segments left (RFC 8200 §4.4). */
  routedTo?: string;
  /** pcapng section number, from 1 (absent for classic pcap). */
  section?: number;
}

/** One row of `-z conv,tcp` or `-z conv,udp`, as printed. */
export interface TsharkConversation {
  proto: 'tcp' | 'udp';
  /** "A": the sender of the conversation's first packet in file order. */
  a: string;
  aPort: number;
  b: string;
  bPort: number;
  /** The "->" columns: frames A sent to B, and their size as printed ("828 bytes", "323 kB"). */
  framesAB: number;
  bytesAB: string;
  /** The "<-" columns: frames B sent to A. */
  framesBA: number;
  bytesBA: string;
  /** Start relative to the first frame, as printed (`%14.9f` of a double). */
  relStart: string;
  /** Duration as printed (`%12.4f` of the difference of two doubles). */
  duration: string;
}

export interface TsharkAnswer {
  packets: TsharkPacket[];
  conversations: TsharkConversation[];
}

/** Whether tshark is installed (.ci/run installs it; the tests say so when it is missing). */
export function hasTshark(): boolean {
  return hasTool('tshark');
}

let version: string | undefined;

/** First line of `tshark --version`; throws the install hint when tshark is missing. */
export function tsharkVersion(): string {
  if (version === undefined) {
    requireTool('tshark');
    version = execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  }
  return version;
}

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.len',
  'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst',
  'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport',
  'ip.proto', 'ipv6.nxt',
  '_ws.unreassembled', '_ws.short', '_ws.malformed',
  'ipv6.routing.type', 'ipv6.routing.segleft', 'ipv6.routing.src.addr', 'frame.section_number',
];

const run = promisify(execFile);

/**
 * The outermost addresses and ports of every packet and tshark's TCP/UDP
 * conversation tables, without IP reassembly: a non-first fragment has no
 * ports and a first fragment is dissected on its own, as in our reader.
 * `-n` keeps addresses and ports numeric; LC_ALL=C keeps tshark's number
 * formatting free of thousands separators.
 */
export async function tsharkAnswer(file: string): Promise<TsharkAnswer> {
  const args = [
    '-r', file, '-n', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE',
    '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=;', ...FIELDS.flatMap((f) => ['-e', f]),
    '-z', 'conv,tcp', '-z', 'conv,udp',
  ];
  const out = await cachedToolOutput({ file, versions: [tsharkVersion()], args: [keyArgs(args, file)] }, async () =>
    (await run('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, LC_ALL: 'C' } })).stdout);
  const lines = out.split('\n');
  const tables = lines.findIndex((l) => l.startsWith('====='));
  return {
    packets: parsePackets(tables < 0 ? lines : lines.slice(0, tables)),
    conversations: tables < 0 ? [] : parseConversations(lines.slice(tables)),
  };
}

/** Per-packet fields only (see tsharkAnswer). */
export async function tsharkPackets(file: string): Promise<TsharkPacket[]> {
  return (await tsharkAnswer(file)).packets;
}

/** `seconds.fraction` as printed by tshark, to exact nanoseconds. */
export function decimalToNs(text: string): bigint {
  const neg = text.startsWith('-');
  const [sec, frac = ''] = (neg ? text.slice(1) : text).split('.');
  const ns = BigInt(sec) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
  return neg ? -ns : ns;
}

function parsePackets(lines: string[]): TsharkPacket[] {
  const packets: TsharkPacket[] = [];
  for (const line of lines) {
    if (!line) continue;
    // Each field lists every occurrence; the first is the outermost header's.
    const all = line.split('\t').map((f) => f.split(';'));
    const [num, epoch, len, ip4s, ip4d, ip6s, ip6d, ts, td, us, ud, proto4, proto6, unre, short, malformed, rtype, segleft] = all.map((f) => f[0]);
    const routeAddrs = all[FIELDS.indexOf('ipv6.routing.src.addr')];
    const section = all[FIELDS.indexOf('frame.section_number')][0];
    const p: TsharkPacket = { number: Number(num), length: Number(len) };
    if (epoch) {
      p.tsNs = decimalToNs(epoch);
      p.ts = Number(p.tsNs / 1000n);
    }
    const proto = proto4 || proto6;
    if (proto) p.proto = Number(proto);
    p.src = ip4s || ip6s || undefined;
    p.dst = ip4d || ip6d || undefined;
    const sp = ts || us;
    const dp = td || ud;
    const icmp = p.proto === 1 || p.proto === 58;
    if (sp && !icmp) p.sport = Number(sp);
    if (dp && !icmp) p.dport = Number(dp);
    const cut = /: (\S+)\]/.exec(unre || short || malformed);
    if (cut) p.cutIn = cut[1];
    if (rtype === '0' && Number(segleft) > 0) p.routedTo = routeAddrs[routeAddrs.length - 1];
    if (section) p.section = Number(section);
    packets.push(p);
  }
  return packets;
}

/** "addr:port" as printed; an IPv6 address has colons of its own, the port follows the last one. */
function endpoint(text: string): [string, number] {
  const i = text.lastIndexOf(':');
  return [text.slice(0, i), Number(text.slice(i + 1))];
}

const SIZE = String.raw`(\d+ (?:bytes|[kMGT]B))`;
const ROW = new RegExp(String.raw`^(\S+)\s+<->\s+(\S+)\s+(\d+) ${SIZE}\s+(\d+) ${SIZE}\s+(\d+) ${SIZE}\s+(-?\d+\.\d{9})\s+(-?\d+\.\d{4})$`);

/** The rows of the "TCP Conversations" and "UDP Conversations" tables (tap-iousers.c layout). */
export function parseConversations(lines: string[]): TsharkConversation[] {
  const rows: TsharkConversation[] = [];
  let proto: 'tcp' | 'udp' | undefined;
  for (const line of lines) {
    if (line === 'TCP Conversations') proto = 'tcp';
    else if (line === 'UDP Conversations') proto = 'udp';
    const m = ROW.exec(line.trim());
    if (!m || !proto) continue;
    const [a, aPort] = endpoint(m[1]);
    const [b, bPort] = endpoint(m[2]);
    const framesBA = Number(m[3]);
    const framesAB = Number(m[5]);
    if (framesBA + framesAB !== Number(m[7])) throw new Error(`tshark conversation row does not add up: ${line}`);
    rows.push({
      proto, a, aPort, b, bPort, framesAB, bytesAB: m[6], framesBA, bytesBA: m[4], relStart: m[9], duration: m[10],
    });
  }
  return rows;
}
