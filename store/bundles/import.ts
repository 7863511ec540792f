/**
 * Import a bundle written by export.ts, trusting nothing it says: the tar
 * must be plain (bundle.ts refuses duplicate and special entries), the
 * manifest's fields pass the app's own schemas, every evidence file's size
 * and SHA-256 are recomputed from its bytes (a mismatch imports nothing), the
 * bundle's audit trail is kept as imported history beside our own, and a
 * complaint the store holds already is not imported twice. Evidence files
 * copied for an import that then fails are removed again (vault-gc.ts).
 */
import { basename, resolve } from 'node:path';
import type { AnalysisResult } from '../../analysis/pipeline';
import { printableLine } from '../../analysis/util/printable';
import type { Database } from '../database';
import { audit, insertCaseRow, refreshFts } from '../cases/insert';
import { StoreError, toStoreError } from '../errors';
import { complaintFingerprint } from '../fingerprint';
import { rerankAround } from '../queue';
import { assertWritable, commitWindow, read, write, type StoreContext } from '../transaction';
import { PendingBlobs } from '../vault-gc';
import type { ImportResult, StoredComplaint } from '../types';
import { listTar, manifestSchema, readTarEntry, tarEntryStream, type BundleManifest, type TarEntry } from '../bundle';

async function readManifest(file: string, entry: (name: string) => TarEntry): Promise<BundleManifest> {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse((await readTarEntry(file, entry('manifest.json'))).toString('utf8')));
    if (!parsed.success) throw new StoreError('invalid', `${file} is not a case bundle this version can read: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  } catch (e) {
    throw e instanceof StoreError ? e : new StoreError('invalid', `${file} is not a case bundle (manifest.json unreadable: ${(e as Error).message}).`);
  }
}

export async function importBundle(ctx: StoreContext, path: string): Promise<ImportResult> {
  assertWritable(ctx);
  const file = resolve(path);
  let entries: TarEntry[];
  try {
    entries = await listTar(file);
  } catch (e) {
    throw e instanceof StoreError ? e : toStoreError(e, file);
  }
  const entry = (name: string): TarEntry => {
    const e = entries.find((x) => x.name === name);
    if (!e) throw new StoreError('invalid', `${file} is not a complete case bundle (no ${name}).`);
    return e;
  };
  const manifest = await readManifest(file, entry);
  const raw = await readTarEntry(file, entry(manifest.case.complaintEntry));
  const complaintFp = complaintFingerprint(raw);
  // The same case (a repeat case has its own fingerprint), else for an original the case holding its complaint.
  const fingerprint = manifest.case.fingerprint;
  const dup = await read(ctx, () => ctx.db.get<{ id: number }>(
    'SELECT id FROM cases WHERE fingerprint = ? OR (? AND complaint_fp = ?) ORDER BY fingerprint = ? DESC, id LIMIT 1',
    [fingerprint, fingerprint === complaintFp ? 1 : 0, complaintFp, fingerprint]));
  if (dup) return { caseId: dup.id, existed: true };
  const pending = new PendingBlobs(ctx.vault);
  const named = new Set<string>();
  try {
    for (const ev of manifest.evidence) {
      const e = entry(ev.entry);
      // The tar header's size is what the bytes are; the manifest's is only a claim.
      if (e.size !== ev.size) {
        throw new StoreError('custody_mismatch', `${file}: evidence ${printableLine(ev.originalName)} is recorded as ${ev.size} bytes but the bundle holds ${e.size}: nothing imported.`);
      }
      const blob = await ctx.vault.put(tarEntryStream(file, e), ev.sha256, pending);
      if (blob.size !== ev.size) throw new StoreError('custody_mismatch', `${file}: evidence ${printableLine(ev.originalName)} read as ${blob.size} bytes, ${ev.size} recorded: nothing imported.`);
    }
    const results: AnalysisResult[] = [];
    for (const r of manifest.runs) {
      const result: unknown = JSON.parse((await readTarEntry(file, entry(r.entry))).toString('utf8'));
      if (typeof result !== 'object' || result === null || Array.isArray(result)) throw new StoreError('invalid', `${file}: ${r.entry} is not an analysis result.`);
      results.push(result as AnalysisResult);
    }
    const out = await write(ctx, (tx) => insertImported(ctx, tx, { file, manifest, raw, complaintFp, results }));
    for (const ev of manifest.evidence) named.add(ev.sha256);
    return out;
  } catch (e) {
    throw e instanceof StoreError ? e : toStoreError(e, file);
  } finally {
    await pending.settle(ctx.db, named).catch(() => undefined);
  }
}

interface Imported { file: string; manifest: BundleManifest; raw: Buffer; complaintFp: string; results: AnalysisResult[] }

async function insertImported(ctx: StoreContext, tx: Database, { file, manifest, raw, complaintFp, results }: Imported): Promise<ImportResult> {
  const m = manifest.case;
  const complaint = m.complaint as unknown as StoredComplaint;
  const caseId = await insertCaseRow(ctx, tx, {
    createdAt: m.createdAt, updatedAt: m.updatedAt, receivedAt: m.receivedAt, status: m.status, fingerprint: m.fingerprint, complaintName: m.complaintName,
    complaintRaw: raw, complaint, windowStart: null, windowEnd: null, accused: m.accused, targets: m.targets, tags: m.tags,
  }, false);
  await tx.run('UPDATE cases SET complaint_fp = ? WHERE id = ?', [complaintFp, caseId]);
  // Whoever wrote the bundle chose these times and words: they are its history, not our audit trail.
  const now = ctx.now();
  // First the history the bundle's desk imported the case with (each entry names its own bundle), then that desk's own trail.
  for (const h of manifest.importedHistory ?? []) {
    await tx.run('INSERT INTO imported_history (case_id, bundle, imported_at, at, action, detail) VALUES (?, ?, ?, ?, ?, ?)',
      [caseId, h.bundle, h.importedAt, h.at, h.action, h.detail]);
  }
  for (const a of manifest.audit) {
    await tx.run('INSERT INTO imported_history (case_id, bundle, imported_at, at, action, detail) VALUES (?, ?, ?, ?, ?, ?)',
      [caseId, basename(file), now, a.at, a.action, a.detail]);
  }
  for (const ev of manifest.evidence) {
    // Verified here and now: the bytes were hashed and counted on the way into the vault.
    await tx.run(`INSERT INTO evidence (case_id, sha256, original_name, size, format, first_ts, last_ts, attached_at, last_verified_at, last_verified_ok)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, [caseId, ev.sha256, ev.originalName, ev.size, ev.format, ev.firstTs, ev.lastTs, ev.attachedAt, now]);
  }
  const runIds: number[] = [];
  for (const [i, r] of manifest.runs.entries()) {
    const { lastID } = await tx.run(`INSERT INTO analysis_runs (case_id, created_at, engine_version, schema_version, verdict, confidence, duration_ms, options_json, result_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [caseId, r.createdAt, r.engineVersion, r.schemaVersion, r.verdict, r.confidence, r.durationMs, JSON.stringify(r.options), JSON.stringify(results[i])]);
    runIds.push(lastID);
  }
  const lastRun = manifest.runs.at(-1);
  if (lastRun) await tx.run('UPDATE cases SET verdict = ?, confidence = ?, accepted_run_id = ? WHERE id = ?', [lastRun.verdict, lastRun.confidence, runIds.at(-1) ?? null, caseId]);
  await rerankAround(tx, caseId);
  for (const d of manifest.drafts) {
    await tx.run('INSERT INTO drafts (case_id, version, subject, body, origin, run_id, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [caseId, d.version, d.subject, d.body, d.origin, d.runIndex !== null ? runIds[d.runIndex] ?? null : null, d.createdAt, d.sentAt]);
  }
  for (const n of manifest.notes) await tx.run('INSERT INTO notes (case_id, body, created_at) VALUES (?, ?, ?)', [caseId, n.body, n.createdAt]);
  const files = manifest.evidence.length;
  const history = manifest.audit.length;
  const earlier = manifest.importedHistory?.length ?? 0;
  await audit(ctx, tx, caseId, 'imported', `imported from ${basename(file)}: ${files} evidence file${files === 1 ? '' : 's'} verified (sizes and SHA-256 recomputed)`
    + `; its ${history} audit entr${history === 1 ? 'y' : 'ies'} kept as imported history`
    + (earlier ? `, with the ${earlier} entr${earlier === 1 ? 'y' : 'ies'} of history it was imported with` : ''), false);
  await refreshFts(tx, caseId);
  await commitWindow('bundle-import');
  return { caseId, existed: false };
}
