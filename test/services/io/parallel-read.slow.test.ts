import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../services/analyze-files';
import { lastParallelRead } from '../../../services/io/parallel-read';
import { readEvidenceFile } from '../../../services/io/read-file';
import { corpus } from '../../analysis/ingest/text/helpers';

/**
 * Every classic pcap of the corpus, with a complaint against its busiest
 * sender: cut in two and read by two workers, the analysis must equal the
 * one-pass analysis (every detector's merge, every quote).
 */
const files = readdirSync(corpus('pcap')).filter((f) => /\.(pcap|cap)$/.test(f));

async function complaintFor(file: string): Promise<{ text: string; accused: string }> {
  const counts = new Map<string, number>();
  const peers = new Map<string, number>();
  let first: number | undefined;
  await readEvidenceFile(file, {
    onEvent: (e) => {
      if (!e.src || !e.dst) return;
      first ??= e.ts;
      counts.set(e.src, (counts.get(e.src) ?? 0) + 1);
      peers.set(`${e.src} ${e.dst}`, (peers.get(`${e.src} ${e.dst}`) ?? 0) + 1);
    },
  });
  // A capture with no IP packet (empty, non-IP frames) still has summaries and warnings to compare.
  const accused = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!accused) return { accused: '192.0.2.1', text: 'Subject: attack from 192.0.2.1\n\nYour host 192.0.2.1 attacked our host 198.51.100.1. Please stop it.\n' };
  const peer = [...peers].filter(([k]) => k.startsWith(`${accused} `)).sort((a, b) => b[1] - a[1])[0][0].split(' ')[1];
  const when = new Date((first ?? 0) / 1000).toUTCString();
  return { accused, text: `Subject: attack from ${accused}\nDate: ${when}\n\nYour host ${accused} attacked our host ${peer} on ${when}. Please stop it.\n` };
}

describe('corpus captures read by two workers', () => {
  for (const name of files) {
    it(`${name}: the same analysis as one pass`, async () => {
      const file = corpus('pcap', name);
      const c = await complaintFor(file);
      const input = { complaint: new TextEncoder().encode(c.text), complaintName: 'c.txt', evidence: [file], ourNets: [`${c.accused}/32`] };
      const one = await analyzeFiles(input, { workers: 0, splitMinBytes: 1, minTotalBytes: 0 });
      const split = await analyzeFiles(input, { workers: 2, splitMinBytes: 1, minTotalBytes: 0 });
      expect(lastParallelRead.fellBack).toBe(0);
      expect(split).toEqual(one);
    }, 60_000);
  }
});
