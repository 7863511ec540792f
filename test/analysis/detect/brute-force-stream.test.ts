import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_SERVICES, bruteForce } from '../../../analysis/detect/brute-force';
import { MAX_OPEN_SESSIONS } from '../../../analysis/detect/brute-force/sessions';
import type { Finding } from '../../../analysis/detect/detector';
import { IPPROTO_TCP, TCP_ACK, TCP_SYN, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp } from '../../helpers/events';
import { loadEvents } from '../../helpers/load-events';
import { corpusDir } from '../../helpers/paths';

/**
 * brute-force as a streaming detector: a capture (or a flow log) cut in two
 * at any record, read by two accumulators and merged either way round, gives
 * what one pass and the batch call give; packets in reverse order give the
 * same; the open-session table and the duration summaries stay bounded and
 * say so in the facts when they had to estimate or cut short.
 */

const US = '198.51.100.90';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());

async function corpusEvents(rel: string): Promise<NetEvent[]> {
  const path = join(corpusDir, rel);
  if (!existsSync(path)) throw new Error(`${path} is missing: the tests need ../shared/corpus beside the checkout`);
  return loadEvents(path);
}

function split(events: readonly NetEvent[], accused: string[], at: number, reversed: boolean): Finding[] {
  const ctx = makeContext({ events: [...events], accused });
  const first = bruteForce.start(ctx), second = bruteForce.start(ctx);
  events.forEach((ev, i) => (i < at ? first : second).add(ev));
  if (reversed) { second.merge(first); return second.finish(ctx); }
  first.merge(second);
  return first.finish(ctx);
}

function onePass(events: readonly NetEvent[], accused: string[]): Finding[] {
  const ctx = makeContext({ events: [...events], accused });
  const acc = bruteForce.start(ctx);
  for (const ev of events) acc.add(ev);
  return acc.finish(ctx);
}

describe('brute-force streaming: halves merged equal one pass', () => {
  it.each([
    ['pcap/zeek__ssh_sshguess.pcap', '192.168.56.1', 'brute-force-sessions'],
    ['pcap/zeek__ftp_bruteforce.pcap', '192.168.56.1', 'brute-force-sessions'],
    ['zeek/rita__internet_host_2024-04-19_01h.conn.log', '77.221.158.250', 'brute-force-sessions'],
    ['argus/generated__zeek_ftp_bruteforce.ra-default.txt', '192.168.56.1', 'brute-force-sessions'],
    ['argus/generated__zeek_ftp_bruteforce.ra-long.txt', '192.168.56.1', 'brute-force-sessions'],
    ['hostlogs/fail2ban__sshd.log', '192.0.2.1', 'brute-force-logs'],
  ])('%s: cut at a third, at the middle, at two thirds', async (file, accused, id) => {
    const events = await corpusEvents(file);
    const batch = bruteForce.detect(makeContext({ events, accused: [accused] }));
    expect(batch.map((f) => f.id)).toEqual([id]);
    expect(onePass(events, [accused])).toEqual(batch);
    for (const at of [Math.floor(events.length / 3), events.length >> 1, Math.floor((2 * events.length) / 3)]) {
      expect(split(events, [accused], at, false)).toEqual(batch);
      expect(split(events, [accused], at, true)).toEqual(batch);
    }
  });

  it('a capture read backwards finds the same: a session is summarised without regard to order', async () => {
    const events = await corpusEvents('pcap/zeek__ftp_bruteforce.pcap');
    const forward = onePass(events, ['192.168.56.1']);
    expect(forward[0].facts).toMatchObject({ sessions: 30, loginFailures: 30 });
    expect(onePass([...events].reverse(), ['192.168.56.1'])).toEqual(forward);
  });

  it('a session whose SYN is in one half and whose refusal and FIN are in the other is one refused attempt', () => {
    const c = { src: US, dst: THEM, sport: 40000, dport: 21 };
    const s = { src: THEM, dst: US, sport: 21, dport: 40000 };
    const evs = [
      tcp({ ...c, flags: 'S', ts: 100 }), tcp({ ...s, flags: 'SA', ts: 100.01 }),
      tcp({ ...s, flags: 'PA', payloadLength: 22, payload: new TextEncoder().encode('530 Login incorrect.\r\n'), ts: 101 }),
      tcp({ ...c, flags: 'FA', ts: 103 }),
    ];
    for (let i = 1; i < 5; i++) evs.push(...[0, 1].map((k) => tcp({ ...(k ? s : c), sport: k ? 21 : 40000 + i, dport: k ? 40000 + i : 21, flags: k ? 'SA' : 'S', ts: 110 + i })));
    // Five sessions: four SYN/SYN-ACK pairs and the one above; only one refusal, so no finding by failures...
    expect(split(evs, [US], 2, false)).toEqual([]);
    // ...but the split session's facts survive the merge: with four more refusals it is a finding.
    const more = [1, 2, 3, 4].map((i) => tcp({ ...s, dport: 40000 + i, flags: 'PA', payloadLength: 22, payload: new TextEncoder().encode('530 Login incorrect.\r\n'), ts: 120 + i }));
    const [f] = split([...evs, ...more], [US], 2, true);
    expect(f.facts).toMatchObject({ sessions: 5, loginFailures: 5, medianSessionSeconds: 10 });
  });
});

describe('brute-force streaming bounds', () => {
  it('past the table limit every session is still counted, and the finding says sessions were cut short', () => {
    const n = MAX_OPEN_SESSIONS + 5000;
    const ctx = makeContext({ events: [], accused: [US] });
    const acc = bruteForce.start(ctx);
    const source = { file: 'big.pcap', offset: 0 };
    // Sessions that never close (the capture ended first), one every 10 ms.
    for (let i = 0; i < n; i++) {
      const ts = 1_700_000_000e6 + i * 10_000;
      const sport = 1024 + (i % 60000), dst = `192.0.2.${1 + Math.floor(i / 60000)}`;
      acc.add({ kind: 'packet', ts, src: US, dst, sport, dport: 22, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source });
      acc.add({ kind: 'packet', ts: ts + 1000, src: dst, dst: US, sport: 22, dport: sport, proto: IPPROTO_TCP, tcpFlags: TCP_SYN | TCP_ACK, source });
    }
    const findings = acc.finish(ctx);
    expect(findings.map((f) => f.id)).toEqual(['brute-force-sessions']);
    const f = findings[0];
    expect(f.facts?.sessions).toBe(n);
    expect(f.facts?.sessionTableOverflow as number).toBeGreaterThan(0);
    expect(f.facts?.medianEstimated).toBe(true);
  });

  it('a sweep of a login port leaves no room-taking services: a guessing run open at the end past 20,000 swept hosts is found in full', () => {
    const swept = MAX_SERVICES + 5000;
    const ctx = makeContext({ events: [], accused: [US] });
    const acc = bruteForce.start(ctx);
    const source = { file: 'sweep.pcap', offset: 0 };
    const t0 = 1_700_000_000e6;
    // One unanswered SYN to telnet on each host of a sweep (10.0.x.y), still open when the capture ends.
    for (let i = 0; i < swept; i++) {
      const dst = `10.0.${i >> 8}.${i & 255}`;
      acc.add({ kind: 'packet', ts: t0 + i * 1000, src: US, dst, sport: 40000, dport: 23, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source });
    }
    // Then twelve short telnet sessions to one host, answered, never closed: guessing.
    for (let i = 0; i < 12; i++) {
      const ts = t0 + swept * 1000 + i * 2e6, sport = 50000 + i;
      acc.add({ kind: 'packet', ts, src: US, dst: THEM, sport, dport: 23, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source });
      acc.add({ kind: 'packet', ts: ts + 1000, src: THEM, dst: US, sport: 23, dport: sport, proto: IPPROTO_TCP, tcpFlags: TCP_SYN | TCP_ACK, source });
      acc.add({ kind: 'packet', ts: ts + 2000, src: US, dst: THEM, sport, dport: 23, proto: IPPROTO_TCP, tcpFlags: TCP_ACK, source });
    }
    // A swept host also guessed at: its unanswered SYN still counts among that service's sessions.
    const both = '10.0.0.7';
    for (let i = 0; i < 9; i++) {
      const ts = t0 + (swept + 100) * 1000 + i * 2e6, sport = 51000 + i;
      acc.add({ kind: 'packet', ts, src: US, dst: both, sport, dport: 23, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source });
      acc.add({ kind: 'packet', ts: ts + 1000, src: both, dst: US, sport: 23, dport: sport, proto: IPPROTO_TCP, tcpFlags: TCP_SYN | TCP_ACK, source });
    }
    const findings = acc.finish(ctx);
    expect(findings.map((f) => [f.facts?.target, f.facts?.sessions, f.facts?.established])).toEqual([[both, 10, 9], [THEM, 12, 12]]);
    expect(findings.every((f) => f.facts?.untrackedSessions === undefined)).toBe(true);
  });
});
