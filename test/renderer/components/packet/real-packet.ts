import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConversationCollector } from '../../../../analysis/decode/conversation';
import { describeFrame } from '../../../../analysis/decode/packet-detail';
import { ownFrame, type OwnedFrame } from '../../../../analysis/ingest/capture/frame';
import type { PacketView } from '../../../../renderer/lib/types';
import { corpusDir } from '../../../helpers/paths';

const FILE = 'zeek__http_get-to-ssh-server.pcap';

/**
 * The frames of a little-endian classic pcap, read here in a few lines
 * rather than through analysis/ingest's asynchronous framer: 24-byte
 * header, then per record ts, ts fraction, captured and original length.
 * This file is nanosecond (magic 4d3cb2a1).
 */
function frames(): OwnedFrame[] {
  const b = readFileSync(join(corpusDir, 'pcap', FILE));
  const nanos = b.readUInt32LE(0) === 0xa1b23c4d;
  const linkType = b.readUInt32LE(20);
  const out: OwnedFrame[] = [];
  for (let off = 24, packet = 1; off + 16 <= b.length; packet++) {
    const incl = b.readUInt32LE(off + 8);
    const frac = b.readUInt32LE(off + 4);
    out.push(ownFrame({ packet, offset: off, linkType, tsSec: b.readUInt32LE(off), tsNanos: nanos ? frac : frac * 1000, origLen: b.readUInt32LE(off + 12) }, new Uint8Array(b.subarray(off + 16, off + 16 + incl))));
    off += 16 + incl;
  }
  return out;
}

/**
 * The packet view the host would send for packet `n` of zeek's
 * http_get-to-ssh-server capture (a GET sent to an SSH server, 9 packets),
 * made by the same analysis code from the real bytes.
 */
export async function realPacketView(n = 4): Promise<PacketView> {
  const all = frames();
  const d = describeFrame(all[n - 1], FILE);
  const c = new ConversationCollector(d.key!, n);
  for (const f of all) c.add(f, FILE);
  return { ...d, conversation: c.finish(true), evidenceId: 1, canOpenInWireshark: false };
}
