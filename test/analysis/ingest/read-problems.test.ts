import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyFileWarnings, unreadEvidence } from '../../../analysis/ingest/read-problems';
import { analyzeFiles } from '../../../services/analyze-files';
import { casesDir, corpusDir } from '../../helpers/paths';

/**
 * Evidence that gives nothing is said to, by name: a capture of 0 packets is
 * warned about, and when files were attached but none could be read the
 * verdict's "missing" says so ("none of the 4 attached files …"), never
 * "no captures attached". Real files: the corpus's empty pcap and pcapng
 * (tcpdump's own test files), a real capture cut inside its header, the
 * example complaint's prose attached as if it were a log.
 */
const EMPTY_PCAP = join(corpusDir, 'pcap', 'tcpdump__empty.pcap');
const EMPTY_PCAPNG = join(corpusDir, 'pcapng', 'tcpdump__empty.pcapng');
const CASE = join(casesDir, 'seed001-synflood-backscatter');
const complaint = new TextEncoder().encode(readFileSync(join(CASE, 'complaint.txt'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-read-problems-'));
const cutPcap = join(dir, 'cut.pcap');
writeFileSync(cutPcap, readFileSync(join(CASE, 'www-border.pcap')).subarray(0, 10));
const prose = join(dir, 'notes.txt');
writeFileSync(prose, readFileSync(join(CASE, 'complaint.txt')));

const analyze = (evidence: string[]) => analyzeFiles({ complaint, complaintName: 'complaint.txt', evidence, ourNets: ['198.51.100.0/24'] });

describe('evidence that gives nothing', () => {
  it('a pcap and a pcapng of 0 packets are each warned about', async () => {
    const r = await analyze([EMPTY_PCAP, EMPTY_PCAPNG]);
    expect(r.evidence.map((e) => e.records)).toEqual([0, 0]);
    expect(r.warnings).toContain('tcpdump__empty.pcap: the capture holds no packets (24 bytes, a file header only)');
    expect(r.warnings.some((w) => w.startsWith('tcpdump__empty.pcapng: the capture holds no packets'))).toBe(true);
  });

  it('four attached files, none readable: says so and names them, not "no captures attached"', async () => {
    const r = await analyze([EMPTY_PCAP, EMPTY_PCAPNG, cutPcap, prose]);
    expect(r.verdict).toBe('inconclusive');
    const missing = r.missing.join(' ');
    expect(missing).not.toMatch(/were attached/);
    expect(missing).toMatch(/^none of the 4 attached files gave a packet or log line to weigh: /);
    for (const name of ['tcpdump__empty.pcap', 'tcpdump__empty.pcapng', 'cut.pcap', 'notes.txt']) expect(missing).toContain(name);
    expect(r.notes[0]).toContain('none of the 4 attached files');
  });

  it('nothing attached is still "no captures or logs attached"; one readable file is evidence', async () => {
    expect((await analyze([])).missing).toEqual(['no captures or logs from our side were attached']);
    const r = await analyze([join(CASE, 'www-border.pcap'), EMPTY_PCAP]);
    expect(r.missing.join(' ')).not.toMatch(/attached/);
    expect(r.warnings.filter((w) => /holds no packets/.test(w))).toHaveLength(1);
  });
});

describe('the words', () => {
  const summary = { linkTypes: [], skipped: 0, bytes: 100, timeInferred: false };
  it('a text log with no records says how many lines were not records; a read file is no problem', () => {
    expect(emptyFileWarnings([{ ...summary, file: 'conn.log', format: 'zeek-conn', records: 0, skipped: 3 }])).toEqual(['conn.log: no zeek-conn record in it (3 lines that are not records) (100 bytes)']);
    expect(emptyFileWarnings([{ ...summary, file: 'a.pcap', format: 'pcap', records: 5 }])).toEqual([]);
    expect(unreadEvidence([{ ...summary, file: 'a.pcap', format: 'pcap', records: 5 }])).toBeUndefined();
    expect(unreadEvidence([])).toBeUndefined();
  });

  it('one file is "the attached file"; more than six are counted', () => {
    expect(unreadEvidence([{ ...summary, file: 'x.bin', format: 'unknown', records: 0, error: 'not a format we read (first bytes: 00); expected pcap' }]))
      .toBe('the attached file gave no packet or log line to weigh: x.bin (not a format we read)');
    const many = Array.from({ length: 8 }, (_, i) => ({ ...summary, file: `f${i}.pcap`, format: 'pcap' as const, records: 0 }));
    expect(unreadEvidence(many)).toMatch(/^none of the 8 attached files .*f5\.pcap \(the capture holds no packets\) and 2 more$/);
  });
});
