import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { unzip } from '../../../analysis/complaint/unzip';
import { checkSane, parse } from '../../helpers/fuzz-complaint';
import { fuzzRuns } from '../../helpers/fuzz-seed';
import { fixturesDir } from '../../helpers/paths';
import { writeZip } from '../../helpers/fuzz-zip';
import { complaintFuzzSuite } from './fuzz-suite';

/**
 * Complaint parsing (mail, ARF, X-ARF YAML and JSON, zipped CSV) under
 * mutation and re-dressing: a few runs per property here, many in
 * fuzz.slow.test.ts.
 */
complaintFuzzSuite(fuzzRuns(25));

describe('inputs the fuzz properties found', () => {
  it('reads a mail cut after a part\'s empty Content-Type: header', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixturesDir, 'complaints', 'empty-content-type.eml')));
    const c = await parse(bytes);
    checkSane(c, bytes);
    expect(c.accused).toEqual(['198.51.100.23']);
    expect(c.attachments.map((a) => [a.filename, a.contentType])).toEqual([['part-1.bin', 'application/octet-stream']]);
  });
});

describe('zip bombs the fuzz properties found', () => {
  it('reads entries that share one compressed stream once, not once per entry', async () => {
    const data = new Uint8Array(1024 * 1024);
    const zip = writeZip(Array.from({ length: 20 }, (_, i) => ({ name: `r${i}.csv`, data, method: 8 as const, sharesWith: i > 0 ? 0 : undefined })));
    expect(deflateRawSync(data).length * 20).toBeGreaterThan(zip.length - 2000);
    const problems: string[] = [];
    const out = await unzip(zip, problems);
    expect(out.map((e) => e.name)).toEqual(['r0.csv']);
    expect(problems).toHaveLength(19);
    expect(problems[0]).toBe('zip: r1.csv: overlaps another entry\'s data; skipped');
  });

  it('stops at 64 MiB of content however many entries the archive holds, keeping what it inflated', async () => {
    const data = new Uint8Array(20 * 1024 * 1024 - 4096);
    const zip = writeZip(Array.from({ length: 5 }, (_, i) => ({ name: `r${i}.csv`, data, method: 8 as const })));
    const problems: string[] = [];
    const out = await unzip(zip, problems);
    const limit = 64 * 1024 * 1024;
    expect(out.reduce((n, e) => n + e.content.length, 0)).toBe(limit);
    // r3 is cut where the 64 MiB end; r4 is not inflated at all.
    expect(out.map((e) => e.content.length)).toEqual([data.length, data.length, data.length, limit - 3 * data.length]);
    expect(problems).toEqual([
      `zip: r3.csv: read only its first ${limit - 3 * data.length} bytes (stopped at byte offset ${limit - 3 * data.length}): the message's decoded-bytes limit (64 MiB) was reached`,
      "zip: stopped before r4.csv: the message's decoded-bytes limit (64 MiB) is spent",
    ]);
  });
});
