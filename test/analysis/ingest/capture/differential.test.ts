import { differentialSample } from '../../../helpers/captures';
import { definePacketDifferential } from './differential-check';

/**
 * Our capture reader against tshark, packet by packet (number, time to the
 * nanosecond, length on the wire, outermost addresses and ports), on a sample
 * covering each reading path: pcap both byte orders and nanoseconds, pcapng
 * with several sections, Linux cooked capture, IPv6, fragments. Every capture
 * of the corpus is compared in differential.slow.test.ts; tshark's answers are
 * cached by file hash and tshark version (test/helpers/tool-cache.ts). The
 * conversation-level comparison with tshark and argus is the FlowTable's
 * (test/analysis/events/flow-table.differential.test.ts).
 */
definePacketDifferential('capture reading agrees with tshark (unit sample)', differentialSample.map((s) => s.file));
