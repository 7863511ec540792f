/**
 * Crash safety of the operations that copy evidence into the vault outside
 * the intake: `analyze --save` (CaseStore.saveAnalysis) and attaching a file
 * to a case (attachEvidence). Each runs as a child, pauses in its
 * transaction after the evidence is copied and its rows are written, before
 * COMMIT (ABUSE_DESK_TEST_PAUSE_IN_COMMIT, store/transaction.ts), and is
 * SIGKILLed there. The copy is then on disk with no row naming it; opening the
 * store must remove it (the copy was journaled, vault-gc.ts), and the
 * operation run again must store it, leaving no orphan.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseStore, EVIDENCE_DIR } from '../../store/case-store';
import { Database } from '../../store/database';
import { fixturesDir, repoRoot } from '../helpers/paths';
import { vaultTemp } from './crash-helpers';
import { tempDir } from './helpers';

const bin = join(repoRoot, 'bin', 'abuse-desk.mjs');
const attachChild = join(repoRoot, 'test', 'store', 'children', 'attach-once.ts');

/** Run a child; with `pauseAt` it must stop in that commit window and is killed there. */
function run(args: string[], pauseAt?: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env = { ...process.env, ABUSE_DESK_NO_BUNDLE: '1', ABUSE_DESK_TEST_PAUSE_IN_COMMIT: pauseAt ?? '' };
    const p = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (pauseAt && stderr.includes(`paused in commit window ${pauseAt} 1`)) p.kill('SIGKILL');
    });
    p.on('exit', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** Vault files no evidence row names, counted without opening the store (which would collect them). */
async function unnamedFiles(dataDir: string): Promise<string[]> {
  const db = await Database.open(join(dataDir, 'cases.sqlite'), { readOnly: true });
  try {
    const named = new Set((await db.all<{ sha256: string }>('SELECT sha256 FROM evidence')).map((r) => r.sha256));
    const vault = join(dataDir, EVIDENCE_DIR);
    return readdirSync(vault).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => readdirSync(join(vault, d)).map((f) => d + f)).filter((s) => !named.has(s));
  } finally {
    await db.close();
  }
}

/** Open the store (which settles a dead process's journals), and say what it holds. */
async function afterOpen(dataDir: string): Promise<{ orphans: number; missing: number; cases: number; evidence: number }> {
  const store = await CaseStore.open(dataDir);
  try {
    const check = await store.vaultCheck();
    const cases = (await store.listCases({ limit: 100 })).items;
    let evidence = 0;
    for (const c of cases) evidence += (await store.getCase(c.id)).evidence.length;
    return { orphans: check.orphans.length, missing: check.missing.length, cases: cases.length, evidence };
  } finally {
    await store.close();
  }
}

describe('crash between copying evidence and committing the row that names it', () => {
  it('analyze --save killed in its commit window: the copy is collected when the store opens; saved again, no orphan', async () => {
    const { dir, cleanup } = await tempDir('ad-crash-save-');
    try {
      const data = join(dir, 'data');
      const evidence = join(dir, 'fw.log');
      writeFileSync(evidence, 'Dec 18 01:00:00 fw kernel: IN=eth0 SRC=203.0.113.9 DST=192.0.2.66 PROTO=TCP SPT=4444 DPT=22 SYN\n'.repeat(20));
      const args = [bin, 'analyze', '--complaint', join(fixturesDir, 'complaints', 'cet-portscan.eml'), '--evidence', evidence, '--save', '--data-dir', data];
      const killed = await run(args, 'save');
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(await unnamedFiles(data)).toHaveLength(1);
      expect(vaultTemp(data).some((f) => f.endsWith('.pending'))).toBe(true);
      expect(await afterOpen(data)).toEqual({ orphans: 0, missing: 0, cases: 0, evidence: 0 });
      expect(vaultTemp(data)).toEqual([]);

      const saved = await run(args);
      expect(`${saved.code} ${saved.stderr}`).toBe('0 saved case 1\n');
      expect(await afterOpen(data)).toEqual({ orphans: 0, missing: 0, cases: 1, evidence: 1 });
    } finally {
      await cleanup();
    }
  });

  it('attaching a file killed in its commit window: the copy is collected when the store opens; attached again, no orphan', async () => {
    const { dir, cleanup } = await tempDir('ad-crash-attach-');
    try {
      const data = join(dir, 'data');
      const store = await CaseStore.open(data);
      await store.createOrFindCase({ complaintRaw: 'Host 198.51.100.7 scanned us.', complaintName: 'c.txt', complaint: { format: 'text', reporter: {}, accused: ['198.51.100.7'], targets: [], ports: { source: [], destination: [] }, activity: 'port-scan', times: [], zone: 'UTC', quotedEvents: [], text: 'Host 198.51.100.7 scanned us.', attachments: [], warnings: [] } });
      await store.close();
      const file = join(fixturesDir, 'netfilter', 'iptables-raw.log');
      const args = ['--import', 'tsx', attachChild, data, file];
      const killed = await run(args, 'attach');
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(await unnamedFiles(data)).toHaveLength(1);
      expect(await afterOpen(data)).toEqual({ orphans: 0, missing: 0, cases: 1, evidence: 0 });

      const attached = await run(args);
      expect(`${attached.code} ${attached.stderr}`).toMatch(/^0 /);
      expect(attached.stdout).toMatch(/^attached \d+\n$/);
      expect(await afterOpen(data)).toEqual({ orphans: 0, missing: 0, cases: 1, evidence: 1 });
    } finally {
      await cleanup();
    }
  });
});
