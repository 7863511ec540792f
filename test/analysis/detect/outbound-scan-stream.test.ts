import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../analysis/detect/detector';
import { MAX_CONVERSATIONS } from '../../../analysis/detect/outbound-conversations';
import { outboundScan } from '../../../analysis/detect/outbound-scan';
import { IPPROTO_TCP, TCP_SYN, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { tcp } from '../../helpers/events';
import { loadEvents } from '../../helpers/load-events';
import { corpusDir } from '../../helpers/paths';

/**
 * outbound-scan as a streaming detector: fed in file order, in any order,
 * or in two halves merged, it finds what one pass over the time-sorted
 * events finds; its conversation table stops at its limit and the findings
 * say so.
 */

async function corpusEvents(rel: string): Promise<NetEvent[]> {
  const path = join(corpusDir, rel);
  if (!existsSync(path)) throw new Error(`${path} is missing: the tests need ../shared/corpus beside the checkout`);
  return loadEvents(path);
}

function streamed(events: readonly NetEvent[], accused: string[], order: 'one' | 'halves' | 'halves-reversed'): Finding[] {
  const ctx = makeContext({ events: [...events], accused });
  if (order === 'one') {
    const acc = outboundScan.start(ctx);
    for (const ev of events) acc.add(ev);
    return acc.finish(ctx);
  }
  const half = events.length >> 1;
  const first = outboundScan.start(ctx), second = outboundScan.start(ctx);
  events.forEach((ev, i) => (i < half ? first : second).add(ev));
  if (order === 'halves') { first.merge(second); return first.finish(ctx); }
  second.merge(first);
  return second.finish(ctx);
}

describe('outbound-scan streaming', () => {
  it.each([
    ['pcap/evilfingers__TCP_CONNECT_SCAN.pcap', '192.168.1.10', 'connect'],
    ['pcap/wireshark-wiki__nmap_standard_scan.pcap', '192.168.100.103', 'SYN'],
    ['argus/generated__evilfingers_syn_scan.ra-long.txt', '192.168.1.10', 'flow-record'],
    ['netfilter/psad__syn_scan_1000_1500_multi_dst.log', '192.168.10.55', 'SYN'],
    ['netfilter/psad__topera_ipv6_syn_scan_no_ip_opts.log', '2012:1234:1234::1', 'SYN'],
    ['zeek/rita__internet_host_2024-04-19_01h.conn.log', '79.110.62.70', 'flow-record'],
  ])('%s: two halves merged (either way round) equal one pass and the batch call', async (file, scanner, type) => {
    const events = await corpusEvents(file);
    const batch = outboundScan.detect(makeContext({ events, accused: [scanner] }));
    expect(batch.map((f) => f.facts?.scanType)).toContain(type);
    expect(streamed(events, [scanner], 'one')).toEqual(batch);
    expect(streamed(events, [scanner], 'halves')).toEqual(batch);
    expect(streamed(events, [scanner], 'halves-reversed')).toEqual(batch);
  });

  it('does not depend on the order events arrive in (a capture read backwards finds the same)', async () => {
    const events = await corpusEvents('pcap/evilfingers__TCP_SYN_SCAN.pcap');
    const forward = streamed(events, ['192.168.1.10'], 'one');
    expect(forward.map((f) => f.id)).toEqual(['outbound-port-scan']);
    expect(streamed([...events].reverse(), ['192.168.1.10'], 'one')).toEqual(forward);
  });
});

describe('outbound-scan at its conversation limit', () => {
  const US = '198.51.100.10';
  const TARGET = '192.0.2.40';
  const forged = Array.from({ length: 1000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
  const source = { file: 'flood.pcap', offset: 0 };

  /** A SYN flood against our port 80 from 1,000,000 distinct source address/port pairs. */
  function feedFlood(acc: ReturnType<typeof outboundScan.start>, t0: number): void {
    for (let i = 0; i < 1_000_000; i++) {
      acc.add({
        kind: 'packet', ts: t0 + i, src: forged[i % 1000], dst: US, sport: 1024 + Math.floor(i / 1000), dport: 80,
        proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source,
      });
    }
  }
  const scan = (t0: number) => Array.from({ length: 40 }, (_, p) => tcp({ src: US, dst: TARGET, sport: 40000, dport: 1 + p, flags: 'S', ts: t0 + p / 100 }));

  it('a scan classified before the limit was reached says its counts are lower bounds', () => {
    const ctx = makeContext({ events: [], accused: [US] });
    const acc = outboundScan.start(ctx);
    for (const ev of scan(1_700_000_000)) acc.add(ev);
    feedFlood(acc, 1_700_000_100e6);
    const [f, ...rest] = acc.finish(ctx);
    expect(rest).toEqual([]);
    expect(f.id).toBe('outbound-port-scan');
    expect(f.facts?.portCount).toBe(40);
    expect(f.facts?.conversationLimit).toBe(MAX_CONVERSATIONS);
    // 1,000,040 conversations, the limit tracked: the rest estimated within 3 standard errors of the sketch.
    const unclassified = 1_000_040 - MAX_CONVERSATIONS;
    expect(Math.abs((f.facts?.unclassifiedConversations as number) - unclassified) / unclassified).toBeLessThan(0.025);
    expect(f.summary).toContain('at least');
  });

  it('a scan past the limit is not classified, and a context finding says conversations went unclassified', () => {
    const ctx = makeContext({ events: [], accused: [US] });
    const acc = outboundScan.start(ctx);
    feedFlood(acc, 1_700_000_000e6);
    for (const ev of scan(1_700_000_100)) acc.add(ev);
    const findings = acc.finish(ctx);
    expect(findings.map((f) => [f.id, f.leaning, f.strength])).toEqual([['outbound-scan-incomplete', 'context', 0]]);
    expect(findings[0].summary).toMatch(/further conversations were counted but not classified/);
  });
});
