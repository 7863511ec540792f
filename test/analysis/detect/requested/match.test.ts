import { describe, expect, it } from 'vitest';
import type { RequestKind } from '../../../../analysis/detect/requested/kinds';
import { matchPeer, requestFor } from '../../../../analysis/detect/requested/match';
import type { KeptOpening, KeptRequest } from '../../../../analysis/detect/requested/peers';
import type { NetEvent } from '../../../../analysis/events/event';
import { THEM, US } from '../requested-traffic';
import { activeFtpEvents, tableOf } from './table';

const ev = (ts: number): NetEvent => ({ kind: 'packet', ts, source: { file: 'x.pcap', packet: 1, offset: 0 } });
const request = (ts: number, kind: RequestKind = 'ftp-active-data', ours: string | null = US): KeptRequest => ({ kind, peer: THEM, ours: ours ?? undefined, key: 'tcp>5000', ts, ev: ev(ts) });
const opening = (ts: number, ours = US): KeptOpening => ({ ours, peer: THEM, key: 'tcp>5000', shape: 'ftp-active-data', ts, ev: ev(ts) });

describe('matching our openings to their requests', () => {
  it('the active-FTP fixture: every data connection of ours answers a command of theirs, none is left unexplained', async () => {
    const t = tableOf(await activeFtpEvents());
    const { answered, unmatchedByShape } = matchPeer(THEM, t.named.get(THEM)!);
    expect(answered.map((a) => [a.kind, a.ours, a.peer, a.requests.length, a.unmatched, a.unchecked])).toEqual([['ftp-active-data', US, THEM, 5, 0, 0]]);
    expect(answered[0].answers.every((o) => o.ev.sport === 20)).toBe(true);
    expect(unmatchedByShape.size).toBe(0);
  });

  it('takes the latest request before our packet within the protocol\'s window, asked of this host or of any', () => {
    const byKey = new Map([['tcp>5000', [request(1_000_000), request(2_000_000)]]]);
    expect(requestFor(opening(2_500_000), byKey)?.ts).toBe(2_000_000);
    expect(requestFor(opening(1_500_000), byKey)?.ts).toBe(1_000_000);
    expect(requestFor(opening(500_000), byKey)).toBeUndefined();
    expect(requestFor(opening(2_000_000 + 120_000_000), byKey)?.ts).toBe(2_000_000);
    expect(requestFor(opening(2_000_000 + 120_000_001), byKey)).toBeUndefined();
    expect(requestFor(opening(2_500_000, '198.51.100.11'), byKey)).toBeUndefined();
    const transit = new Map([['tcp>5000', [request(1_000_000, 'traceroute-replies', null)]]]);
    expect(requestFor(opening(1_100_000, '198.51.100.11'), transit)).toBeDefined();
    expect(requestFor({ ...opening(2_500_000), key: undefined }, byKey)).toBeUndefined();
  });
});
