import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../analysis/events/event';
import { joinDiagnostics, joinSummaries, readTask } from '../../../services/io/evidence-task';
import { planPcapRanges } from '../../../services/io/pcap-split';
import { casesDir } from '../../helpers/paths';

const PCAP = join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap');

describe('reading tasks', () => {
  it('seed001\'s capture read in four ranges gives the packets and the summary of one pass', async () => {
    const size = statSync(PCAP).size;
    const whole: NetEvent[] = [];
    const one = await readTask({ file: 0, path: PCAP, size }, { onEvent: (e) => whole.push(e) });
    const ranges = (await planPcapRanges(PCAP, size, 4))!;
    expect(ranges.length).toBeGreaterThan(1);
    const parts: NetEvent[] = [];
    const summaries = [];
    for (const range of ranges) summaries.push((await readTask({ file: 0, path: PCAP, size, range }, { onEvent: (e) => parts.push(e) })).summary);
    expect(parts.map((e) => [e.source.packet, e.ts, e.src, e.dst])).toEqual(whole.map((e) => [e.source.packet, e.ts, e.src, e.dst]));
    expect(joinSummaries(summaries, size)).toEqual(one.summary);
  });

  it('a range of a file that is gone is an error of that task', async () => {
    const r = await readTask({ file: 0, path: '/nonexistent.pcap', size: 1000, range: { offset: 24, packets: 0, end: 1000 } as never }, { onEvent: () => undefined });
    expect(r.summary.error).toMatch(/^read failed: /);
  });

  it('diagnostics of later ranges join in order, and repeats past the cap are still counted', () => {
    const into = new Diagnostics();
    into.weird({ code: 'truncated_record', file: 'x', message: 'a' });
    const later = new Diagnostics();
    for (let i = 0; i < 30; i++) later.weird({ code: 'truncated_record', file: 'x', offset: i, message: `b${i}` });
    joinDiagnostics(into, later.weirds, later.counts);
    expect(into.counts.get('truncated_record')).toBe(31);
    expect(into.weirds).toHaveLength(20);
    expect(into.messages().at(-1)).toBe('11 more truncated_record warnings not shown');
  });
});
