import { EvidenceOverview } from '../correlate/evidence-overview';
import { TimeOccupancy } from '../correlate/time-occupancy';
import { TopK } from '../util/top-k';
import type { ClassTable } from '../util/state-codec';
import { BruteForceAccumulator } from './brute-force';
import { Quantiles } from './brute-force/quantiles';
import { SessionTable } from './brute-force/sessions';
import { Tally as BruteForceTally } from './brute-force/tally';
import { CraftedAccumulator } from './crafted-packets';
import { ConversationFlags } from './crafted/conversations';
import { EarliestKeys, Tallies, Tally as CraftedTally } from './crafted/tally';
import { DetectorRun } from './detector-run';
import { EvidenceSampler } from './excerpt';
import { IcmpAccumulator, IcmpPair, IcmpPairs } from './icmp-backscatter';
import { ConversationTable } from './outbound-conversations';
import { OutboundScanAccumulator } from './outbound-scan';
import { ReflectionAccumulator } from './reflection';
import { ReflectionPair, Side } from './reflection/pair';
import { RequestedAccumulator } from './requested-by-them';
import { Earliest, PeerState, PeerTable } from './requested/peers';
import { RetainedSlice } from './retained';
import { DistinctCounter } from './sketch/distinct-counter';
import { RowSlots } from './sketch/row-slots';
import { SampledMap } from './sketch/sampled-map';
import { SpreadSample } from './sketch/spread-sample';
import { FirstPerKey, TimeSample } from './stream-evidence';
import { FirstSeen, TargetAnswers } from './synflood/answers';
import { FlowPort, FlowServer, FlowTarget } from './synflood/flow-records';
import { HandshakeTable, PortAttempts } from './synflood/handshakes';
import { PortSyns, ServerSyns } from './synflood/syn-stats';
import { SynfloodAccumulator, TargetTracker } from './synflood-backscatter';
import { BurstTracker, Streams } from './worm-bursts';
import { Sources, WormAccumulator } from './worm-patterns';

/**
 * Every class a case's streaming state may hold (the detectors' accumulators
 * and their parts, the evidence overview), by a key unique across files (two
 * files each have a `Tally`). A worker's state crosses to the main thread by
 * util/state-codec.ts, which needs the prototype behind each key. A class
 * missing here makes the encoding fail, and the evidence is then read in one
 * pass instead (services/io/parallel-read.ts): slower, never wrong.
 */
export const STATE_CLASSES: ClassTable = new Map<string, abstract new (...args: never[]) => unknown>(Object.entries({
  EvidenceOverview, TimeOccupancy, TopK, DetectorRun, RetainedSlice, EvidenceSampler,
  BruteForceAccumulator, Quantiles, SessionTable, BruteForceTally,
  CraftedAccumulator, ConversationFlags, EarliestKeys, Tallies, CraftedTally,
  IcmpAccumulator, IcmpPair, IcmpPairs, ConversationTable, OutboundScanAccumulator,
  ReflectionAccumulator, ReflectionPair, Side, RequestedAccumulator, Earliest, PeerState, PeerTable,
  DistinctCounter, RowSlots, SampledMap, SpreadSample, FirstPerKey, TimeSample,
  FirstSeen, TargetAnswers, FlowPort, FlowServer, FlowTarget, HandshakeTable, PortAttempts, PortSyns, ServerSyns,
  SynfloodAccumulator, TargetTracker, BurstTracker, Streams, Sources, WormAccumulator,
}));
