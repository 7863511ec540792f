import type { NetEvent } from '../events/event';
import { memberTest } from '../util/member-test';
import { unreachableSourceReason } from '../util/net';
import type { StreamContext } from './stream';
import { streamSubject } from './stream-subject';

/**
 * The slices of the evidence the batch detectors read (see retained.ts),
 * each decided from what is known before the first event.
 */

/** Packets and flow records between one of ours and one of the complainant's addresses: a server answering them. */
export function betweenUsAndThem(ctx: StreamContext): (ev: NetEvent) => boolean {
  if (ctx.targets.length === 0) return () => false;
  const isUs = streamSubject(ctx);
  // Asked of every event: a few string comparisons, where a Set would hash each forged address of a flood.
  const isTarget = memberTest(ctx.targets);
  return (ev) => (isUs(ev.src) && isTarget(ev.dst)) || (isUs(ev.dst) && isTarget(ev.src));
}

/**
 * Packets their sensor could have seen: between us and the complainant's
 * addresses, or between us and anyone when the complaint names none.
 */
export function whatTheirSensorSaw(ctx: StreamContext): (ev: NetEvent) => boolean {
  const isUs = streamSubject(ctx);
  if (ctx.targets.length === 0) {
    // Anyone not us is theirs: one end ours and the other not.
    return (ev) => ev.kind === 'packet' && ev.src !== undefined && ev.dst !== undefined && isUs(ev.src) !== isUs(ev.dst);
  }
  const isTarget = memberTest(ctx.targets);
  return (ev) => ev.kind === 'packet' && ((isUs(ev.src) && isTarget(ev.dst)) || (isTarget(ev.src) && isUs(ev.dst)));
}

/** Frames from a complained-about address that no network routes (127.0.0.1, a private address not ours). */
export function fromUnroutableAccused(ctx: StreamContext): (ev: NetEvent) => boolean {
  const impossible = new Set([...ctx.complaint.accused, ...ctx.accused].filter((a) => unreachableSourceReason(a, ctx.targets)));
  if (impossible.size === 0) return () => false;
  return (ev) => ev.src !== undefined && impossible.has(ev.src);
}

/** Nothing: the detector reads the complaint and the inventory only. */
export function nothing(): (ev: NetEvent) => boolean {
  return () => false;
}
