/**
 * Orphaned evidence files (store/vault-gc.ts): an import that finds its
 * message stored already, repeats a Message-ID inside one batch, or fails
 * before its commit leaves no file in the vault that no row names; a journal
 * left by a dead process is settled when the store opens; vaultCheck finds
 * and removes older orphans, and says which rows lost their file.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMessages } from '../../services/intake/files';
import { CaseStore, EVIDENCE_DIR } from '../../store/case-store';
import { importMessages } from '../../store/intake';
import { fakeComplaint, fakeResult, tempDir } from './helpers';
import { abuseioRaw, toMbox } from './intake-helpers';
import { vaultTemp } from './crash-helpers';

let root = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir: root, cleanup } = await tempDir('ad-vault-gc-')));
afterAll(() => cleanup());

let n = 0;
const fresh = (opts: { maxPageCount?: number } = {}): { dir: string; open: () => Promise<CaseStore> } => {
  const dir = join(root, `data-${++n}`);
  return { dir, open: () => CaseStore.open(dir, opts) };
};

function samplesMbox(): string {
  const path = join(root, 'abuseio.mbox');
  writeFileSync(path, toMbox(abuseioRaw()));
  return path;
}

describe('orphaned evidence files', () => {
  it('importing the AbuseIO samples (Message-IDs repeated within the batch) twice leaves every vault file named by a row', async () => {
    const mbox = samplesMbox();
    const { open } = fresh();
    const store = await open();
    try {
      const first = await importMessages(store, readMessages([mbox]), { batchSize: 100 });
      // The samples repeat some Message-IDs with different bodies and attachments: those are not stored again.
      expect(first.counts['already-imported']).toBeGreaterThan(0);
      const second = await importMessages(store, readMessages([mbox]), { batchSize: 100 });
      expect(second.counts['already-imported']).toBe(second.messages);
      const check = await store.vaultCheck();
      expect(check.files).toBeGreaterThan(0);
      expect(check.orphans).toEqual([]);
      expect(check.missing).toEqual([]);
      expect(vaultTemp(store.dataDir)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a batch whose transaction fails (disk full) stores nothing and leaves no file behind', async () => {
    const mbox = samplesMbox();
    const probe = fresh();
    const empty = await probe.open();
    await empty.close();
    // Room for the schema, not for 81 messages.
    const { open } = fresh({ maxPageCount: 80 });
    const store = await open();
    try {
      await expect(importMessages(store, readMessages([mbox]), { batchSize: 100 })).rejects.toMatchObject({ code: 'disk_full' });
      expect((await store.listCases()).items).toEqual([]);
      const check = await store.vaultCheck();
      expect({ files: check.files, orphans: check.orphans.length }).toEqual({ files: 0, orphans: 0 });
      expect(vaultTemp(store.dataDir)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a save or an attach whose transaction fails leaves no copy behind (journaled like an import)', async () => {
    const { open } = fresh();
    const store = await open();
    try {
      const file = join(root, 'fw.log');
      writeFileSync(file, 'Dec 18 01:00:00 fw kernel: IN=eth0 SRC=203.0.113.9 DST=192.0.2.66 PROTO=TCP SPT=4444 DPT=22 SYN\n');
      const c = fakeComplaint({ text: 'Host 198.51.100.7 scanned us.', accused: ['198.51.100.7'] });
      // The transaction fails after the copy: the draft of the case cannot be made.
      const input = { complaintRaw: c.text, complaintName: 'c.txt', complaint: c, evidence: [file], result: fakeResult(c, 'backscatter'), durationMs: 1 };
      await expect(store.saveAnalysis({ ...input, draftFor: () => { throw new Error('no template'); } })).rejects.toThrow(/no template/);
      expect((await store.vaultCheck()).files).toBe(0);
      // A case that is not there: the copy goes again.
      await expect(store.attachEvidence(42, file)).rejects.toMatchObject({ code: 'not_found' });
      expect((await store.vaultCheck()).files).toBe(0);
      // Done right, the file stays, named.
      const saved = await store.saveAnalysis(input);
      await store.attachEvidence(saved.case.id, file);
      const check = await store.vaultCheck();
      expect({ files: check.files, orphans: check.orphans.length }).toEqual({ files: 1, orphans: 0 });
      expect(vaultTemp(store.dataDir)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a journal left by a dead process is settled on open: its unnamed files go, named and touched ones stay', async () => {
    const { dir, open } = fresh();
    const store = await open();
    const vault = join(dir, EVIDENCE_DIR);
    const put = (text: string): { sha: string; path: string; mtimeMs: number } => {
      const sha = createHash('sha256').update(text).digest('hex');
      mkdirSync(join(vault, sha.slice(0, 2)), { recursive: true });
      const path = join(vault, sha.slice(0, 2), sha.slice(2));
      writeFileSync(path, text);
      utimesSync(path, 1_700_000_000, 1_700_000_000);
      return { sha, path, mtimeMs: 1_700_000_000_000 };
    };
    const lost = put('copied by an import that died');
    const touched = put('copied, then stored again by another import');
    const evidence = join(dir, 'ev.log');
    writeFileSync(evidence, 'named by a row');
    const c = await store.createOrFindCase({ complaintRaw: 'complaint', complaintName: 'c.txt', complaint: (await import('./helpers')).fakeComplaint() });
    const named = await store.attachEvidence(c.case.id, evidence);
    await store.close();
    utimesSync(touched.path, 1_700_000_100, 1_700_000_100);
    // A process number that cannot be alive (above the kernel's limit).
    const journal = join(vault, 'tmp', `4999999-1-dead.pending`);
    writeFileSync(journal, [lost, touched, { sha: named.sha256, mtimeMs: 1 }].map((f) => `${f.sha} ${f.mtimeMs}\n`).join(''));
    const again = await CaseStore.open(dir);
    try {
      const check = await again.vaultCheck();
      expect(check.orphans.map((o) => o.sha256)).toEqual([touched.sha]);
      expect(vaultTemp(dir)).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('vaultCheck removes orphans older than the grace period only, and names rows whose file is gone', async () => {
    const { dir, open } = fresh();
    const store = await open();
    try {
      const evidence = join(dir, 'ev.log');
      writeFileSync(evidence, 'evidence one');
      const c = await store.createOrFindCase({ complaintRaw: 'complaint 2', complaintName: 'c.txt', complaint: (await import('./helpers')).fakeComplaint() });
      const kept = await store.attachEvidence(c.case.id, evidence);
      const vault = join(dir, EVIDENCE_DIR);
      const orphan = (text: string, ageS: number): string => {
        const sha = createHash('sha256').update(text).digest('hex');
        mkdirSync(join(vault, sha.slice(0, 2)), { recursive: true });
        const p = join(vault, sha.slice(0, 2), sha.slice(2));
        writeFileSync(p, text);
        const t = Date.now() / 1000 - ageS;
        utimesSync(p, t, t);
        return sha;
      };
      const old = orphan('left by an old crash', 3600);
      const young = orphan('an import elsewhere is about to name me', 5);
      const report = await store.vaultCheck();
      expect(report.orphans.map((o) => o.sha256).sort()).toEqual([old, young].sort());
      expect(report.removed).toBe(0);
      const cleaned = await store.vaultCheck({ removeOrphans: true });
      expect({ removed: cleaned.removed, recent: cleaned.recent }).toEqual({ removed: 1, recent: 1 });
      expect((await store.vaultCheck()).orphans.map((o) => o.sha256)).toEqual([young]);
      const { rmSync } = await import('node:fs');
      rmSync(join(vault, kept.sha256.slice(0, 2), kept.sha256.slice(2)));
      expect((await store.vaultCheck()).missing).toEqual([{ caseId: c.case.id, sha256: kept.sha256 }]);
    } finally {
      await store.close();
    }
  });
});
