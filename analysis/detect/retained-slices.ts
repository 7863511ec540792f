import type { NetEvent } from '../events/event';
import { unreachableSourceReason } from '../util/net';
import type { StreamContext } from './stream';
import { streamSubject } from './stream-subject';

/**
 * The slices of the evidence the batch detectors read (see retained.ts),
 * each decided from what is known before the first event.
 */

/** Packets and flow records between one of ours and one of the complainant's addresses: a server answering them. */
export function betweenUsAndThem(ctx: StreamContext): (ev: NetEvent) => boolean {
  const isUs = streamSubject(ctx);
  const targets = new Set(ctx.targets);
  if (targets.size === 0) return () => false;
  return (ev) => (isUs(ev.src) && ev.dst !== undefined && targets.has(ev.dst)) || (isUs(ev.dst) && ev.src !== undefined && targets.has(ev.src));
}

/**
 * Packets their sensor could have seen: between us and the complainant's
 * addresses, or between us and anyone when the complaint names none.
 */
export function whatTheirSensorSaw(ctx: StreamContext): (ev: NetEvent) => boolean {
  const isUs = streamSubject(ctx);
  const targets = new Set(ctx.targets);
  const theirs = (a: string | undefined): boolean => a !== undefined && (targets.size === 0 ? !isUs(a) : targets.has(a));
  return (ev) => ev.kind === 'packet' && ((isUs(ev.src) && theirs(ev.dst)) || (theirs(ev.src) && isUs(ev.dst)));
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
