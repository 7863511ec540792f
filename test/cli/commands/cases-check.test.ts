/**
 * `abuse-desk cases backup --check [--remove-orphans]` on a store filled by
 * `abuse-desk import` from the AbuseIO samples (some share a Message-ID).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusDir } from '../../helpers/paths';
import { cli } from '../cli-runner';

const dir = mkdtempSync(join(tmpdir(), 'ad-cases-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('abuse-desk cases backup --check', () => {
  it('finds no orphan after importing the samples, reports and removes a planted one, and exits 3 for a missing file', async () => {
    const data = join(dir, 'data');
    const samples = join(corpusDir, 'complaints', 'abuseio');
    expect((await cli(['import', samples, '--data-dir', data])).status).toBe(0);
    const clean = await cli(['cases', 'backup', '--check', '--data-dir', data, '--json']);
    expect(clean.status).toBe(0);
    const report = JSON.parse(clean.stdout) as { files: number; orphans: unknown[]; missing: unknown[] };
    expect(report.files).toBeGreaterThan(0);
    expect({ orphans: report.orphans, missing: report.missing }).toEqual({ orphans: [], missing: [] });

    const text = 'an evidence file whose import died before its commit';
    const sha = createHash('sha256').update(text).digest('hex');
    mkdirSync(join(data, 'evidence', sha.slice(0, 2)), { recursive: true });
    const planted = join(data, 'evidence', sha.slice(0, 2), sha.slice(2));
    writeFileSync(planted, text);
    utimesSync(planted, Date.now() / 1000 - 3600, Date.now() / 1000 - 3600);
    const found = await cli(['cases', 'backup', '--check', '--data-dir', data]);
    expect(found.status).toBe(0);
    expect(found.stdout).toContain(`1 orphaned file`);
    expect(found.stdout).toContain(sha);
    expect(found.stdout).toMatch(/--remove-orphans/);
    const removed = await cli(['cases', 'backup', '--check', '--remove-orphans', '--data-dir', data]);
    expect(removed.stdout).toMatch(/Removed 1\./);
    expect(readdirSync(join(data, 'evidence', sha.slice(0, 2)))).not.toContain(sha.slice(2));

    const sub = readdirSync(join(data, 'evidence')).find((d) => /^[0-9a-f]{2}$/.test(d) && readdirSync(join(data, 'evidence', d)).length)!;
    const victim = readdirSync(join(data, 'evidence', sub))[0];
    rmSync(join(data, 'evidence', sub, victim));
    const broken = await cli(['cases', 'backup', '--check', '--data-dir', data]);
    expect(broken.status).toBe(3);
    expect(broken.stdout).toContain(sub + victim);
    expect(broken.stderr).toMatch(/CHAIN OF CUSTODY BROKEN/);

    expect((await cli(['cases', 'list', '--remove-orphans', '--data-dir', data])).status).toBe(2);
  });
});
