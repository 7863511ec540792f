/**
 * Crash safety of `abuse-desk import` inside the store's commit window: the
 * command runs as a child (the sources, through tsx), pauses in its second
 * batch's transaction after every row is written and before COMMIT (the
 * ABUSE_DESK_TEST_PAUSE_IN_COMMIT hook of store/transaction.ts) and is
 * SIGKILLed there. The store must then be intact, hold the first batch
 * whole and nothing of the second; opening it removes the evidence files the
 * dead import had copied; and a re-run imports the rest with no duplicate
 * message and no orphan file.
 *
 * The mailbox is the AbuseIO samples (81 messages, some sharing a Message-ID)
 * followed by 40 mails with an attachment each: 121 messages, two batches of
 * the import's 100.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseStore, EVIDENCE_DIR } from '../../store/case-store';
import { Database } from '../../store/database';
import { repoRoot } from '../helpers/paths';
import { tempDir } from './helpers';
import { abuseioRaw, toMbox } from './intake-helpers';
import { vaultTemp } from './crash-helpers';

const bin = join(repoRoot, 'bin', 'abuse-desk.mjs');

function withAttachment(i: number): Buffer {
  const log = `Dec 18 01:0${i % 10}:00 fw kernel: IN=eth0 SRC=203.0.113.${i} DST=192.0.2.66 PROTO=TCP SPT=4${i} DPT=22 SYN\n`.repeat(3);
  return Buffer.from([
    'From: NOC <noc@example.org>', 'To: abuse@example.com', `Subject: ssh scan ${i} from 192.0.2.66`, 'Date: Thu, 18 Dec 2025 01:00:00 +0000',
    `Message-ID: <crash-import-${i}@example.org>`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
    '--b', 'Content-Type: text/plain', '', `Host 192.0.2.66 scanned 203.0.113.${i} on port 22.`, '',
    '--b', `Content-Type: text/plain; name="fw-${i}.log"`, `Content-Disposition: attachment; filename="fw-${i}.log"`, '', log,
    '--b--', '',
  ].join('\n'));
}

/** Run `abuse-desk import`; with `pauseAt` it must stop in that commit window and is killed there. */
function runImport(mbox: string, dataDir: string, pauseAt?: string, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env = { ...process.env, ABUSE_DESK_NO_BUNDLE: '1', ABUSE_DESK_TEST_PAUSE_IN_COMMIT: pauseAt ?? '', ...extraEnv };
    const p = spawn(process.execPath, [bin, 'import', mbox, '--data-dir', dataDir, '--json'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (pauseAt && stderr.includes(`paused in commit window ${pauseAt.replace(':', ' ')}`)) p.kill('SIGKILL');
    });
    p.on('exit', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

async function orphans(dataDir: string): Promise<number> {
  const store = await CaseStore.open(dataDir);
  try {
    return (await store.vaultCheck()).orphans.length;
  } finally {
    await store.close();
  }
}

/** Vault files no evidence row names, counted without opening the store (which would collect them). */
async function unnamedFiles(dataDir: string): Promise<number> {
  const db = await Database.open(join(dataDir, 'cases.sqlite'), { readOnly: true });
  try {
    const named = new Set((await db.all<{ sha256: string }>('SELECT sha256 FROM evidence')).map((r) => r.sha256));
    const vault = join(dataDir, EVIDENCE_DIR);
    return readdirSync(vault).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => readdirSync(join(vault, d)).map((f) => d + f)).filter((s) => !named.has(s)).length;
  } finally {
    await db.close();
  }
}

async function dbFacts(dataDir: string): Promise<{ integrity: unknown; messages: number; cases: number; duplicateIds: unknown[] }> {
  const db = await Database.open(join(dataDir, 'cases.sqlite'), { readOnly: true });
  try {
    return {
      integrity: (await db.get<{ integrity_check: string }>('PRAGMA integrity_check'))?.integrity_check,
      messages: (await db.get<{ n: number }>('SELECT count(*) AS n FROM messages'))!.n,
      cases: (await db.get<{ n: number }>('SELECT count(*) AS n FROM cases'))!.n,
      duplicateIds: await db.all('SELECT message_id, count(*) AS n FROM messages WHERE message_id IS NOT NULL GROUP BY message_id HAVING n > 1'),
    };
  } finally {
    await db.close();
  }
}

describe('crash inside the commit window of import', () => {
  it('SIGKILL before the second batch commits: store intact, first batch whole, no orphan after reopening, a re-run completes without duplicates', async () => {
    const { dir, cleanup } = await tempDir('ad-crash-import-');
    try {
      const mbox = join(dir, 'in.mbox');
      const extra = Array.from({ length: 40 }, (_, i) => withAttachment(i + 1));
      writeFileSync(mbox, toMbox([...abuseioRaw(), ...extra]));
      const data = join(dir, 'data');

      const killed = await runImport(mbox, data, 'intake:2');
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      // The dead import's journal and the files it had copied for the second batch are on disk.
      expect(vaultTemp(data).some((f) => f.endsWith('.pending'))).toBe(true);
      expect(await unnamedFiles(data)).toBeGreaterThan(0);

      const after = await dbFacts(data);
      expect(after.integrity).toBe('ok');
      expect(after.messages).toBeGreaterThan(0);
      expect(after.messages).toBeLessThanOrEqual(100);
      expect(after.duplicateIds).toEqual([]);
      expect(await orphans(data)).toBe(0);
      expect(vaultTemp(data)).toEqual([]);

      const rerun = await runImport(mbox, data);
      expect(`${rerun.code} ${rerun.stderr}`).toBe('0 ');
      const summary = JSON.parse(rerun.stdout) as { messages: number; counts: Record<string, number> };
      expect(summary.messages).toBe(121);
      const done = await dbFacts(data);
      expect(done.integrity).toBe('ok');
      expect(done.duplicateIds).toEqual([]);
      // The first batch was stored whole (its 100 messages are found again), the second only by the re-run.
      expect(summary.counts['already-imported']).toBe(100);
      expect(done.messages - after.messages).toBe(summary.counts.created + summary.counts['joined-thread'] + summary.counts['joined-duplicate']);
      expect(done.messages - after.messages).toBe(21);
      expect(await orphans(data)).toBe(0);
    } finally {
      await cleanup();
    }
  });

  it('a message that kills import while it is read, run after run, is quarantined unread by the third run, and the others are stored', async () => {
    const { dir, cleanup } = await tempDir('ad-crash-poison-');
    try {
      const mbox = join(dir, 'in.mbox');
      const poison = Buffer.from(withAttachment(2).toString('latin1').replace('Subject: ssh scan 2', 'Subject: ssh scan 2 KILLS-THE-READER'), 'latin1');
      writeFileSync(mbox, toMbox([withAttachment(1), poison, withAttachment(3)]));
      const data = join(dir, 'data');
      const env = { ABUSE_DESK_TEST_DIE_READING: 'KILLS-THE-READER' };
      for (let run = 1; run <= 2; run++) expect((await runImport(mbox, data, undefined, env)).signal, `run ${run}`).toBe('SIGKILL');
      const third = await runImport(mbox, data, undefined, env);
      expect(`${third.code} ${third.stderr}`).toBe('0 ');
      const summary = JSON.parse(third.stdout) as { counts: Record<string, number>; quarantined: Array<{ source: string; error: string }> };
      expect(summary.counts.created).toBe(2);
      expect(summary.quarantined).toEqual([{ source: 'in.mbox#2', error: 'not read: reading it stopped Abuse Desk 2 times (out of memory, or killed)' }]);
      const facts = await dbFacts(data);
      expect({ integrity: facts.integrity, messages: facts.messages, duplicates: facts.duplicateIds }).toEqual({ integrity: 'ok', messages: 2, duplicates: [] });
      expect(await orphans(data)).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
