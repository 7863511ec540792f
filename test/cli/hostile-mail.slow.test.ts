import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORTED_ZIP_HEAVY, zipHeavyMail } from '../helpers/hostile-mail';
import { describeMeasured, runMeasured } from '../helpers/measure-child';

/**
 * The reported case, through the real binary in a child process: a 7 MB
 * mail of 60 small zips (20 entries of 4 MiB each, 4.8 GiB inflated) made
 * `analyze` die of a 4.5 GB heap. Within its budget (64 MiB decoded per
 * message) it completes with warnings naming where reading stopped; its
 * peak RSS, measured by the kernel (GNU time's %M), stays under 400 MB
 * (about 250 MB measured, most of it Node, tsx and mailparser).
 */
const MAX_RSS_KB = 400 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Time budget of one run: about 7 s measured unloaded; a loaded 2-core machine gets far more, a hang does not. */
const BUDGET_SECONDS = 180;

function analyzeMeasured(file: string): { status: number | null; out: { verdict: string; warnings: string[]; complaint: { accused: string[] } }; maxRssKb: number } {
  const r = runMeasured(['analyze', '--complaint', file, '--json'], BUDGET_SECONDS);
  console.info(`  measured: ${describeMeasured(r)}`);
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  expect(r.seconds).toBeLessThan(BUDGET_SECONDS);
  return { status: r.status, out: JSON.parse(r.stdout) as never, maxRssKb: r.maxRssKb };
}

describe('a zip-heavy mail against the message budget', () => {
  it('60 zips of highly compressible entries: analysis completes, warns where it stopped, peak RSS under 400 MB', () => {
    const file = join(dir, 'zip-heavy.eml');
    const bytes = zipHeavyMail(REPORTED_ZIP_HEAVY);
    expect(bytes.length).toBeGreaterThan(6_000_000);
    writeFileSync(file, bytes);
    const r = analyzeMeasured(file);
    expect(r.status).toBe(0);
    expect(r.out.verdict).toBeTruthy();
    expect(r.out.complaint.accused).toEqual(['198.51.100.7']);
    expect(r.out.warnings).toContain("report-0.zip: zip: stopped before report-16.csv: the message's decoded-bytes limit (64 MiB) is spent");
    expect(r.out.warnings).toContain('59 attachment(s) not read because the limit on decoded bytes (64 MiB per message) was reached: report-1.zip, report-2.zip, report-3.zip, report-4.zip, report-5.zip and 54 more');
    expect(r.maxRssKb).toBeLessThan(MAX_RSS_KB);
  });

  it('one zip of 20 such entries (the 29 s, 787 MB case) stays under the same bound', () => {
    const file = join(dir, 'one-zip.eml');
    writeFileSync(file, zipHeavyMail({ ...REPORTED_ZIP_HEAVY, zips: 1 }));
    const r = analyzeMeasured(file);
    expect(r.status).toBe(0);
    expect(r.out.warnings).toContain("report-0.zip: zip: stopped before report-16.csv: the message's decoded-bytes limit (64 MiB) is spent");
    expect(r.maxRssKb).toBeLessThan(MAX_RSS_KB);
  });
});
