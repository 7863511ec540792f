/**
 * One quoted packet of a stored case's evidence, read from the vault for the
 * packet view, and (desktop only) Wireshark opened at it. Collected into the
 * contract's `channels` table.
 */
import { z } from 'zod';
import type { PacketDetail } from '../../analysis/decode/packet-detail';
import { channel } from './channel';

export type { PacketDetail };
export type { ConversationPacket, ConversationView, FollowSegment } from '../../analysis/decode/conversation';
export type { PacketField, PacketLayer } from '../../analysis/decode/dissect';

/** `evidence:packet`: the packet, and whether this host can open Wireshark at it. */
export interface PacketView extends PacketDetail {
  evidenceId: number;
  canOpenInWireshark: boolean;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A packet as Wireshark numbers them: from 1 (pcapng counts up to 2^64, JavaScript safely to 2^53). */
const packetRequest = z.strictObject({ caseId: id, evidenceId: id, packet: id });

export const packetChannels = {
  /** The packet `packet` of the case's evidence file: its layers, bytes, conversation and tshark filters. */
  'evidence:packet': channel(packetRequest).returns<PacketView>(),

  /** Open the evidence file in Wireshark at the packet (`wireshark -r FILE -g N`); `unsupported` where it cannot. */
  'evidence:openInWireshark': channel(packetRequest).returns<{ opened: boolean }>(),
} as const;
