import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { complaintWindow, custodyError, reporterDomain, storedComplaint, toBytes } from '../../../store/cases/rows';
import type { EvidenceRecord } from '../../../store/types';
import { corpusDir } from '../../helpers/paths';

describe('case rows', () => {
  it('stores the AOL feedback report as plain JSON: attachment names and a count of quoted lines, not their bytes', async () => {
    const raw = new Uint8Array(readFileSync(join(corpusDir, 'complaints', 'abuseio', 'feedback-loop__AOL_example_1.eml')));
    const c = await parseComplaint(raw, { fileName: 'aol.eml' });
    const s = storedComplaint(c);
    expect(s.attachments).toEqual(c.attachments.map((a) => a.filename));
    expect(s.quotedLines).toBe(c.quotedEvents.length);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(reporterDomain(c.reporter.address)).toBe('aol.net');
  });

  it('spans the complaint\'s own times and quoted lines, in ms', () => {
    expect(complaintWindow({ times: [{ ts: 2_000_000 }, { ts: 9_000_000 }] }, [5_000_000, NaN])).toEqual({ start: 2000, end: 9000 });
    expect(complaintWindow({}, [])).toEqual({ start: null, end: null });
    expect([reporterDomain('Abuse <abuse@Example.NET>'), reporterDomain('no-at'), reporterDomain(undefined)]).toEqual(['example.net', null, null]);
    expect(toBytes('é').equals(Buffer.from([0xc3, 0xa9]))).toBe(true);
  });

  it('a broken chain of custody names every file and what it is now', () => {
    const ev = (o: Partial<EvidenceRecord>): EvidenceRecord => ({ id: 1, caseId: 7, sha256: 'a'.repeat(64), originalName: 'x.pcap', size: 1, attachedAt: 0, custody: 'mismatch', removedAt: null, excluded: false, ...o } as EvidenceRecord);
    const mixed = custodyError(7, [ev({ actualSha256: 'b'.repeat(64) }), ev({ originalName: 'y.log', custody: 'missing' })]);
    expect(mixed.code).toBe('custody_mismatch');
    expect(mixed.message).toBe(`CHAIN OF CUSTODY BROKEN for case 7: 2 evidence files no longer match what was attached.\n  x.pcap: recorded SHA-256 ${'a'.repeat(64)}, now ${'b'.repeat(64)}\n  y.log: MISSING from the data folder (recorded SHA-256 ${'a'.repeat(64)})\nDo not rely on this evidence; attach the original files again.`);
    expect(custodyError(7, [ev({ custody: 'missing' })]).code).toBe('evidence_missing');
  });
});
