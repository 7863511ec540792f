import { ConversationCollector } from '../../../../analysis/decode/conversation';
import { describeFrame } from '../../../../analysis/decode/packet-detail';
import type { PacketView } from '../../../../renderer/lib/types';
import { corpusFrames } from '../../../analysis/decode/frames';

/**
 * The packet view the host would send for packet `n` of zeek's
 * http_get-to-ssh-server capture (a GET sent to an SSH server, 9 packets),
 * made by the same analysis code from the real bytes.
 */
export async function realPacketView(n = 4): Promise<PacketView> {
  const file = 'zeek__http_get-to-ssh-server.pcap';
  const frames = await corpusFrames(file);
  const d = describeFrame(frames[n - 1], file);
  const c = new ConversationCollector(d.key!, n);
  for (const f of frames) c.add(f, file);
  return { ...d, conversation: c.finish(true), evidenceId: 1, canOpenInWireshark: false };
}
