/**
 * Every corpus text file must be recognised as its own format by the best
 * sniff across all text readers, and binary input must score about zero.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FormatId } from '../../../../analysis/ingest/reader';
import { lineParsers, textReaders } from '../../../../analysis/ingest/text/index';
import { corpus, readFile } from './helpers';

function expected(dir: string, name: string): FormatId {
  if (dir === 'argus') return 'argus';
  if (dir === 'snort') return 'snort';
  if (dir === 'zeek') return 'zeek-conn';
  if (dir === 'hostlogs') return 'fail2ban';
  if (name.includes('scanlogd')) return 'scanlogd';
  // portsentry is a host-protection log: read by the fail2ban (host log) reader.
  if (name.includes('portsentry')) return 'fail2ban';
  return 'netfilter';
}

const cases = ['argus', 'netfilter', 'snort', 'zeek', 'hostlogs'].flatMap((dir) =>
  readdirSync(corpus(dir)).map((name) => ({ dir, name, format: expected(dir, name) })),
);

describe('content sniffing over the corpus', () => {
  it.each(cases)('$dir/$name is $format', ({ dir, name, format }) => {
    const head = new Uint8Array(readFileSync(corpus(dir, name))).subarray(0, 65536);
    const scores = textReaders.map((r) => ({ format: r.format, score: r.sniff(head) })).sort((a, b) => b.score - a.score);
    expect(scores[0].format).toBe(format);
    expect(scores[0].score).toBeGreaterThan(0.6);
    // Discriminating: the runner-up is far behind.
    expect(scores[1].score).toBeLessThan(scores[0].score - 0.3);
  });

  it.each(cases)('$dir/$name reads without errors and yields records', async ({ dir, name, format }) => {
    const parser = lineParsers.find((p) => p.format === format)!;
    const { events, summary } = await readFile(parser, corpus(dir, name));
    expect(summary.error).toBeUndefined();
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(Number.isFinite(e.ts)).toBe(true);
      expect(e.source.line).toBeGreaterThan(0);
    }
  });

  it('binary junk and pcap bytes score about zero for every reader', () => {
    const pcap = new Uint8Array(readFileSync(corpus('pcap', 'evilfingers__TCP_SYN_SCAN.pcap'))).subarray(0, 65536);
    const junk = new Uint8Array(65536);
    let x = 12345;
    for (let i = 0; i < junk.length; i++) { x = (x * 1103515245 + 12345) >>> 0; junk[i] = x >>> 24; }
    for (const r of textReaders) {
      expect(r.sniff(pcap)).toBeLessThan(0.05);
      expect(r.sniff(junk)).toBeLessThan(0.05);
      expect(r.sniff(new Uint8Array(0))).toBe(0);
    }
  });

  it('plain prose scores low everywhere', () => {
    const text = new TextEncoder().encode('Dear abuse team,\nyour host attacked ours yesterday.\nPlease investigate.\nRegards\n');
    for (const r of textReaders) expect(r.sniff(text)).toBeLessThan(0.2);
  });
});
