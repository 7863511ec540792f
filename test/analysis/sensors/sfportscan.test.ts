import { beforeEach, describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import {
  replaySfPortscan, replaySfPortscanLevels, SF_LEVELS, SFPORTSCAN_ALARMS, SFPORTSCAN_EXPLANATION, SFPORTSCAN_THRESHOLD_TEXT, sfPortscanNeeds,
} from '../../../analysis/sensors/sfportscan';
import { resetPacketNumbers, tcp } from '../../helpers/events';
import { loadEvents } from '../../helpers/load-events';
import { corpusDir } from '../../helpers/paths';
import { join } from 'node:path';

/**
 * Snort 2.9 sfPortscan (portscan.c PS_ALERT_CONF per sense level): a
 * one-to-one TCP portscan needs u_port_count port changes and
 * priority_count error answers (RSTs) within the level's window; with no
 * answers, connection_count attempts make a "Filtered" portscan (not at low).
 */
const US = '198.51.100.81';
const THEM = '192.0.2.10';
const isUs = (a: string | undefined): boolean => a === US;
beforeEach(() => resetPacketNumbers());

/** Our SYNs to `n` ports of THEM within `span` s, the first `refused` of them answered with RST-ACK. */
function burst(n: number, refused: number, span = n * 0.1): NetEvent[] {
  const evs: NetEvent[] = [];
  for (let i = 0; i < n; i++) {
    const ts = 100 + (n > 1 ? (i * span) / (n - 1) : 0);
    evs.push(tcp({ src: US, dst: THEM, sport: 40000, dport: 1000 + i, flags: 'S', ts }));
    if (i < refused) evs.push(tcp({ src: THEM, dst: US, sport: 1000 + i, dport: 40000, flags: 'RA', ts: ts + 0.001 }));
  }
  return evs;
}

describe('sfPortscan: each sense level, one below and at its thresholds', () => {
  it.each(SF_LEVELS.map((l) => [l.level, l] as const))('%s: "TCP Portscan" at its port changes and error answers, not one port fewer or one answer fewer', (_name, level) => {
    const { ports, pri } = level.tcp;
    expect(replaySfPortscan(burst(ports, pri), isUs, level)).toMatchObject({ fired: true, alert: 'TCP Portscan', target: THEM });
    expect(replaySfPortscan(burst(ports - 1, Math.min(pri, ports - 1)), isUs, level).fired).toBe(false);
    expect(replaySfPortscan(burst(ports, pri - 1), isUs, level).fired).toBe(false);
  });

  it.each(SF_LEVELS.map((l) => [l.level, l] as const))('%s: the window holds the burst at its length and not half a second beyond', (_name, level) => {
    const { ports, pri } = level.tcp;
    expect(replaySfPortscan(burst(ports, pri, level.windowS), isUs, level).fired).toBe(true);
    expect(replaySfPortscan(burst(ports, pri, level.windowS + 0.5), isUs, level).fired).toBe(false);
  });

  it.each(SF_LEVELS.map((l) => [l.level, l] as const))('%s: unanswered attempts make a "TCP Filtered Portscan" at its connection count, never at a count of 0', (_name, level) => {
    const { conn } = level.tcp;
    if (conn === 0) {
      expect(replaySfPortscan(burst(300, 0), isUs, level).fired).toBe(false);
      return;
    }
    expect(replaySfPortscan(burst(conn, 0), isUs, level)).toMatchObject({ fired: true, alert: 'TCP Filtered Portscan' });
    expect(replaySfPortscan(burst(conn - 1, 0), isUs, level).fired).toBe(false);
  });

  it('a server\'s SYN-ACK answers to a client are no attempts: nothing counts', () => {
    const replies = Array.from({ length: 300 }, (_, i) => tcp({ src: US, dst: THEM, sport: 80, dport: 30000 + i, flags: 'SA', ts: 100 + i * 0.01 }));
    for (const level of SF_LEVELS) expect(replaySfPortscan(replies, isUs, level)).toMatchObject({ fired: false, counters: { conn: 0, uPorts: 0 } });
  });
});

describe('sfPortscan: its thresholds in words come from the same table', () => {
  it('the alarm table holds each level\'s port count and window', () => {
    expect(SFPORTSCAN_ALARMS.map((a) => [a.level, a.count, a.windowS])).toEqual(SF_LEVELS.map((l) => [l.level, l.tcp.ports, l.windowS]));
  });

  it('the first look\'s sentence, the replay\'s explanation and "what each level needs" give the published defaults', () => {
    expect(SFPORTSCAN_THRESHOLD_TEXT).toMatch(/"TCP Portscan" at 5 port changes in 60 s \(sense low\), 15 port changes in 90 s \(sense medium\), 10 port changes in 600 s \(sense high\)$/);
    expect(SFPORTSCAN_EXPLANATION).toMatch(/per scanned host within 60 s \(low\), 90 s \(medium\) or 600 s \(high\)\.$/);
    expect(sfPortscanNeeds()).toBe('low needs 5 and 5, medium 15 ports with 10 errors or 200 attempts, high 10 ports with 5 errors or 200 attempts');
  });
});

describe('replaySfPortscanLevels', () => {
  it.each(['evilfingers__TCP_SYN_SCAN.pcap', 'evilfingers__UDP_SCAN.pcap', 'evilfingers__TCP_CONNECT_SCAN.pcap'])(
    '%s: each level in one pass is that level replayed alone',
    async (name) => {
      const events = await loadEvents(join(corpusDir, 'pcap', name));
      // The scanner: the source of the most SYNs and datagrams.
      const sent = new Map<string, number>();
      for (const e of events) if (e.src && (e.tcpFlags === 2 || e.proto === 17)) sent.set(e.src, (sent.get(e.src) ?? 0) + 1);
      const scanner = [...sent].sort((a, b) => b[1] - a[1])[0][0];
      const ours = (a: string | undefined): boolean => a === scanner;
      const together = replaySfPortscanLevels(events, ours, SF_LEVELS);
      expect(together.some((r) => r.fired)).toBe(true);
      SF_LEVELS.forEach((level, i) => expect(together[i]).toEqual(replaySfPortscanLevels(events, ours, [level])[0]));
    },
  );

  it('keeps each level to its own window', () => {
    // 10 refused ports 20 s apart: low's 60 s and medium's 90 s windows never hold 5 and 15 of them, high's 600 s holds all 10.
    const [low, medium, high] = replaySfPortscanLevels(burst(10, 10, 180), isUs, SF_LEVELS);
    expect(low.fired).toBe(false);
    expect(low.counters.uPorts).toBe(4);
    expect(medium.fired).toBe(false);
    expect(high).toMatchObject({ fired: true, alert: 'TCP Portscan' });
  });
});
