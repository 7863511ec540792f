/**
 * The packet view's reader against tshark, shared by the unit and slow tiers:
 * tshark's fields and hex dump of one packet (cached by file hash, see
 * tool-cache.ts), our field table in tshark's names, and the checks.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { PacketDetail } from '../../../analysis/decode/packet-detail';
import { readPacket } from '../../../services/io/packet-reader';
import { corpusDir } from '../../helpers/paths';
import { cachedToolOutput, keyArgs } from '../../helpers/tool-cache';
import { tsharkVersion } from '../../helpers/tshark';

const run = promisify(execFile);

export async function tshark(file: string, args: string[]): Promise<string> {
  const full = ['-r', file, ...args];
  return cachedToolOutput({ file, versions: [tsharkVersion()], args: [keyArgs(full, file)] },
    async () => (await run('tshark', full, { maxBuffer: 64 << 20 })).stdout);
}

const FIELDS = ['frame.len', 'frame.cap_len', 'eth.src', 'eth.dst', 'ip.src', 'ip.dst', 'ip.ttl', 'ip.id', 'ipv6.src', 'ipv6.dst', 'ipv6.hlim',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.window_size_value', 'udp.srcport', 'udp.dstport', 'udp.length',
  'icmp.type', 'icmp.code', 'icmpv6.type', 'vlan.id'];

/** tshark's fields of one packet, by name; only the outermost value of a repeated field (ICMP quotes, tunnels). */
async function tsharkFields(file: string, n: number): Promise<Record<string, string>> {
  const out = await tshark(file, ['-Y', `frame.number == ${n}`, '-T', 'fields', '-E', 'occurrence=f', ...FIELDS.flatMap((f) => ['-e', f])]);
  const values = out.split('\n')[0].split('\t');
  return Object.fromEntries(FIELDS.map((f, i) => [f, values[i] ?? '']).filter(([, v]) => v !== ''));
}

/** The frame's bytes from tshark's hex dump (the first data source: the frame itself). */
async function tsharkHex(file: string, n: number): Promise<string> {
  const out = await tshark(file, ['-Y', `frame.number == ${n}`, '-x']);
  const hex: string[] = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) break;
    const m = /^[0-9a-f]{4,}\s{2}((?:[0-9a-f]{2} ?)+)/.exec(line);
    if (m) hex.push(m[1].replace(/ /g, ''));
  }
  return hex.join('');
}

function layerField(d: PacketDetail, layer: string, name: string): string | undefined {
  return d.layers.find((l) => l.name === layer)?.fields.find((f) => f.name === name)?.value;
}

/** Our field table in tshark's terms, for the fields the packet has. */
function ours(d: PacketDetail): Record<string, string> {
  const o: Record<string, string | undefined> = {
    'frame.len': String(d.originalLength), 'frame.cap_len': String(d.capturedLength),
    'eth.src': layerField(d, 'Ethernet II', 'Source'), 'eth.dst': layerField(d, 'Ethernet II', 'Destination'),
    'ip.src': layerField(d, 'IPv4', 'Source'), 'ip.dst': layerField(d, 'IPv4', 'Destination'), 'ip.ttl': layerField(d, 'IPv4', 'Time to live'),
    'ip.id': layerField(d, 'IPv4', 'Identification')?.split(' ')[0],
    'ipv6.src': layerField(d, 'IPv6', 'Source'), 'ipv6.dst': layerField(d, 'IPv6', 'Destination'), 'ipv6.hlim': layerField(d, 'IPv6', 'Hop limit'),
    'tcp.srcport': layerField(d, 'TCP', 'Source port'), 'tcp.dstport': layerField(d, 'TCP', 'Destination port'),
    'tcp.seq_raw': layerField(d, 'TCP', 'Sequence number'), 'tcp.ack_raw': layerField(d, 'TCP', 'Acknowledgment number'),
    'tcp.flags': layerField(d, 'TCP', 'Flags')?.split(' ')[0].replace(/^0x/, '0x0'), 'tcp.window_size_value': layerField(d, 'TCP', 'Window'),
    'udp.srcport': layerField(d, 'UDP', 'Source port'), 'udp.dstport': layerField(d, 'UDP', 'Destination port'), 'udp.length': layerField(d, 'UDP', 'Length'),
    'icmp.type': layerField(d, 'ICMP', 'Type'), 'icmp.code': layerField(d, 'ICMP', 'Code'), 'icmpv6.type': layerField(d, 'ICMPv6', 'Type'),
    'vlan.id': layerField(d, '802.1Q VLAN', 'VLAN id'),
  };
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Packet `n` of the corpus capture `rel` decoded to the same fields and bytes as tshark's. */
export async function checkFields(rel: string, n: number): Promise<void> {
  const file = join(corpusDir, rel);
  const d = await readPacket(file, n, { file: rel });
  expect(d.packet).toBe(n);
  expect(d.hex).toBe(await tsharkHex(file, n));
  const theirs = await tsharkFields(file, n);
  const mine = ours(d);
  // The addresses and the outer transport's ports are decoded (an ICMP error's ports in tshark are the quoted packet's).
  const outer = d.event.proto === 6 ? ['tcp.srcport', 'tcp.dstport'] : d.event.proto === 17 ? ['udp.srcport', 'udp.dstport'] : [];
  for (const k of ['frame.len', d.event.ipVersion === 6 ? 'ipv6.src' : 'ip.src', ...outer]) expect([k, mine[k]]).toEqual([k, theirs[k]]);
  // Every field both decode is the same, and we decode nothing tshark does not.
  for (const k of Object.keys(mine)) expect([k, mine[k]]).toEqual([k, theirs[k]]);
}

/** Packet `n`'s conversation holds the packets its tshark filter selects, and the followed payload is as long. */
export async function checkConversation(rel: string, n: number): Promise<void> {
  const file = join(corpusDir, rel);
  const d = await readPacket(file, n, { file: rel });
  expect(d.filters.packet).toBe(`frame.number == ${n}`);
  expect(d.conversation).not.toBeNull();
  const c = d.conversation!;
  const numbers = (await tshark(file, ['-Y', d.filters.conversation!, '-T', 'fields', '-e', 'frame.number'])).split('\n').filter(Boolean).map(Number);
  expect(c.total).toBe(numbers.length);
  expect(c.packets.map((p) => p.packet)).toEqual(numbers.slice(c.skippedBefore, c.skippedBefore + c.packets.length));
  expect(c.packets.some((p) => p.packet === n)).toBe(true);
  if (d.key!.proto === 6) {
    const lens = (await tshark(file, ['-Y', `(${d.filters.conversation}) && tcp.len > 0 && !tcp.analysis.retransmission`, '-T', 'fields', '-e', 'tcp.len']))
      .split('\n').filter(Boolean).map(Number);
    expect(c.follow!.bytes).toBe(Math.min(64 * 1024, lens.reduce((a, b) => a + b, 0)));
  }
}
