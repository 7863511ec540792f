/**
 * Shared by crash.test.ts (a few chosen kill points, unit tier) and
 * crash.slow.test.ts (many seeded rounds): run the save-loop child until it
 * dies, and check a store after the crashes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CaseStore, EVIDENCE_DIR } from '../../store/case-store';
import { Database } from '../../store/database';
import { repoRoot } from '../helpers/paths';

const child = join(repoRoot, 'test', 'store', 'children', 'save-loop.ts');

/** How a child dies: at a point of its own (see children/save-loop.ts), or killed from here `ms` after its first report. */
export type Crash = { after: number; point: string } | { killAfterMs: number };

export interface ChildOutcome {
  tag: string;
  crash: Crash;
  pid: number;
  /** The case ids the child reported saved. */
  reported: number[];
}

/** Run the save loop until it is SIGKILLed as `crash` says; any other end fails. */
export function runChild(dataDir: string, tag: string, crash: Crash): Promise<ChildOutcome> {
  return new Promise((done, fail) => {
    const args = ['--import', 'tsx', child, dataDir, tag, ...('point' in crash ? [`${crash.after}:${crash.point}`] : [])];
    const p = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: number[] = [];
    let buf = '';
    let err = '';
    let armed = false;
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        const m = /^saved (\d+)$/.exec(l);
        if (m) reported.push(Number(m[1]));
      }
      if ('killAfterMs' in crash && !armed && reported.length) {
        armed = true;
        setTimeout(() => p.kill('SIGKILL'), crash.killAfterMs);
      }
    });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') done({ tag, crash, pid: p.pid!, reported });
      else fail(new Error(`save-loop ${tag} ${JSON.stringify(crash)} exited ${code ?? signal}: ${err}`));
    });
  });
}

/** Temporary evidence files in the vault (a crash during a copy leaves one, named `<pid>-…`). */
export function vaultTemp(dataDir: string): string[] {
  const dir = join(dataDir, EVIDENCE_DIR, 'tmp');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** The child's case numbers that are stored, from the subjects "crash TAG I". */
function storedOf(subjects: string[], tag: string): number[] {
  return subjects.flatMap((s) => (s.startsWith(`crash ${tag} `) ? [Number(s.slice(`crash ${tag} `.length))] : [])).sort((a, b) => a - b);
}

/**
 * After the crashes: the database is intact, the full-text index matches the
 * cases, temporary and orphaned vault files are gone once the store is opened, and every
 * stored case is whole (complaint, run, draft, evidence that verifies), with
 * exactly the saves each child committed: everything it reported, plus the
 * save it died in only if it died after sending COMMIT.
 */
export async function checkStore(dataDir: string, children: ChildOutcome[]): Promise<void> {
  const db = await Database.open(join(dataDir, 'cases.sqlite'));
  try {
    expect(await db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    expect(await db.all('PRAGMA foreign_key_check')).toEqual([]);
    await db.run("INSERT INTO case_fts (case_fts) VALUES ('integrity-check')");
    expect(await db.all('SELECT id FROM cases WHERE id NOT IN (SELECT rowid FROM case_fts)')).toEqual([]);
    expect(await db.all('SELECT rowid FROM case_fts WHERE rowid NOT IN (SELECT id FROM cases)')).toEqual([]);
  } finally {
    await db.close();
  }
  const store = await CaseStore.open(dataDir);
  try {
    expect(vaultTemp(dataDir)).toEqual([]);
    // A save killed between copying its evidence and COMMIT left a journaled file that opening the store collected.
    expect((await store.vaultCheck()).orphans).toEqual([]);
    const page = await store.listCases({ limit: 1000 });
    expect(page.hasMore).toBe(false);
    for (const item of page.items) {
      const c = await store.getCase(item.id, { verifyEvidence: true });
      expect({ id: c.id, runs: c.runs.length, drafts: c.drafts.length, custody: c.evidence.map((e) => e.custody) })
        .toEqual({ id: item.id, runs: 1, drafts: 1, custody: ['verified'] });
    }
    const ids = new Set(page.items.map((c) => c.id));
    const subjects = page.items.map((c) => c.subject ?? '');
    for (const ch of children) {
      for (const id of ch.reported) expect(ids.has(id), `case ${id} reported saved by ${ch.tag}`).toBe(true);
      const stored = storedOf(subjects, ch.tag);
      const reported = ch.reported.map((_, i) => i);
      const lastSave = ch.reported.length;
      const pastCommit = 'point' in ch.crash && ch.crash.point === 'unreported';
      const maybe = !('point' in ch.crash) || ch.crash.point === 'commit';
      if (pastCommit) expect(stored, ch.tag).toEqual([...reported, lastSave]);
      else if (maybe) expect([reported, [...reported, lastSave]], ch.tag).toContainEqual(stored);
      else expect(stored, ch.tag).toEqual(reported);
    }
  } finally {
    await store.close();
  }
}
