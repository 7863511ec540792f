import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CaseStore } from '../../store/case-store';
import { Database } from '../../store/database';
import { repoRoot } from '../helpers/paths';
import { tempDir } from './helpers';

const child = join(repoRoot, 'test', 'store', 'children', 'save-loop.ts');

/** Run the save loop, SIGKILL it `afterSaves` commits in plus a random delay; resolve with the ids it reported saved. */
function runAndKill(dataDir: string, tag: string, extraMs: number): Promise<number[]> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dataDir, tag], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const saved: number[] = [];
    let buf = '';
    let err = '';
    let armed = false;
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        const m = /^saved (\d+)$/.exec(l);
        if (m) saved.push(Number(m[1]));
      }
      if (!armed && saved.length) {
        armed = true;
        setTimeout(() => p.kill('SIGKILL'), extraMs);
      }
    });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') done(saved);
      else fail(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe('crash safety', () => {
  it('SIGKILL in the middle of saving never corrupts the store nor loses a case reported saved', async () => {
    const { dir, cleanup } = await tempDir();
    const dataDir = join(dir, 'data');
    const reported: number[] = [];
    try {
      const rounds = 24;
      for (let i = 0; i < rounds; i++) {
        // Two children at once half of the time: writers contend for the lock as well.
        const kills = [runAndKill(dataDir, `r${i}a`, Math.floor(Math.random() * 250))];
        if (i % 2) kills.push(runAndKill(dataDir, `r${i}b`, Math.floor(Math.random() * 250)));
        for (const r of await Promise.allSettled(kills)) {
          if (r.status === 'rejected') throw r.reason;
          reported.push(...r.value);
        }
      }
      expect(reported.length).toBeGreaterThan(rounds);
      const db = await Database.open(join(dataDir, 'cases.sqlite'));
      try {
        expect(await db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
        expect(await db.all('PRAGMA foreign_key_check')).toEqual([]);
      } finally {
        await db.close();
      }
      const store = await CaseStore.open(dataDir);
      try {
        for (const id of reported) {
          const c = await store.getCase(id, { verifyEvidence: true });
          expect(c.runs).toHaveLength(1);
          expect(c.drafts).toHaveLength(1);
          expect(c.evidence.map((e) => e.custody)).toEqual(['verified']);
        }
        // Every stored case is whole (all or nothing), reported or not: a complaint row always has its run and draft.
        const page = await store.listCases({ limit: 1000 });
        expect(page.items.every((c) => c.verdict === 'backscatter')).toBe(true);
        expect((await store.search('crash')).items.length).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    } finally {
      await cleanup();
    }
  }, 120_000);
});
