/**
 * The row-level writes every domain shares, inside a transaction the caller
 * holds: a case with its addresses and tags, evidence, runs, drafts, the audit
 * trail, status changes and the full-text row. The public operations
 * (cases/writes.ts, intake-store.ts, bundles/import.ts, group-reply.ts) are
 * made of these, so a case is written the same way whichever way it came in.
 */
import { basename } from 'node:path';
import type { AnalysisResult } from '../../analysis/pipeline';
import { addressKey, canonicalAddress } from '../address-key';
import type { Database } from '../database';
import { complaintFingerprint } from '../fingerprint';
import { headlineFor, rerank, rerankAround } from '../queue';
import { joinsEarlier, latestWithComplaint, repeatFingerprint, type JoinOpen } from '../repeats';
import { complaintDateMs } from '../../analysis/complaint/complaint-date';
import { refreshSearchPg } from '../pg/search';
import { reverseDomain } from '../search';
import { operatorOf, type StoreContext } from '../transaction';
import type { AnalysisRun, AnalysisRunOptions, CaseStatus, NewCaseInput, NewDraftInput, StoredComplaint } from '../types';
import { complaintWindow, reporterDomain, storedComplaint, toBytes, type EvidenceRow } from './rows';

/** A case row as inserted: from a new complaint, or from a bundle. */
export interface CaseRowInput {
  createdAt: number; updatedAt: number; receivedAt: number; status: CaseStatus; fingerprint: string; complaintName: string;
  complaintRaw: Buffer; complaint: StoredComplaint; windowStart: number | null; windowEnd: number | null;
  accused: string[]; targets: string[]; tags: string[];
  /** Insert an empty complaint_raw: the caller writes it with writeComplaintRaw as its transaction's last change to the row. */
  rawLast?: boolean;
}

/**
 * The complaint's bytes into its case row. SQLite rewrites a whole row for
 * any change to it, loading every column: a row holding a 32 MiB message
 * costs some 100 MB of memory per UPDATE (an intake makes six), so a big
 * message's bytes are written once, after the others.
 */
export async function writeComplaintRaw(tx: Database, caseId: number, raw: Buffer): Promise<void> {
  await tx.run('UPDATE cases SET complaint_raw = ? WHERE id = ?', [raw, caseId]);
}

/**
 * One line of the audit trail, naming the operator; `touch` also moves the
 * case's updated_at and counts its version up (a change others must see
 * before theirs is accepted: see setStatus's expectedVersion).
 */
export async function audit(ctx: StoreContext, tx: Database, caseId: number, action: string, detail: string, touch = true): Promise<void> {
  const at = ctx.now();
  await tx.run('INSERT INTO audit (case_id, at, action, detail, operator) VALUES (?, ?, ?, ?, ?)', [caseId, at, action, detail, operatorOf(ctx)]);
  if (touch) await tx.run('UPDATE cases SET updated_at = ?, version = version + 1 WHERE id = ?', [at, caseId]);
}

export async function changeStatus(ctx: StoreContext, tx: Database, caseId: number, from: CaseStatus, to: CaseStatus): Promise<void> {
  await tx.run('UPDATE cases SET status = ? WHERE id = ?', [to, caseId]);
  await audit(ctx, tx, caseId, 'status_changed', `status ${from} → ${to}`);
  await rerank(tx, [caseId]);
}

/** The case for this complaint: an open earlier case when `join` allows it (see repeats.ts), else a new one, linked to an earlier one. */
export async function createOrFindIn(ctx: StoreContext, tx: Database, input: NewCaseInput, join: JoinOpen, rawLast = false): Promise<{ id: number; existed: boolean; repeatOf: number | null }> {
  const raw = toBytes(input.complaintRaw);
  const complaintFp = complaintFingerprint(raw);
  const earlier = await latestWithComplaint(tx, complaintFp);
  if (earlier && joinsEarlier(earlier, join)) {
    await audit(ctx, tx, earlier.id, 'duplicate_submitted', `the same complaint was submitted again (${input.complaintName})`);
    return { id: earlier.id, existed: true, repeatOf: null };
  }
  const fingerprint = earlier ? repeatFingerprint(complaintFp, earlier.id) : complaintFp;
  const c = input.complaint;
  const win = complaintWindow(c, c.quotedEvents.map((e) => e.ts));
  const now = ctx.now();
  const id = await insertCaseRow(ctx, tx, {
    // Dated by its Date header, else the incident it states: a pasted complaint is not dated at paste time.
    createdAt: now, updatedAt: now, receivedAt: complaintDateMs(c, now) ?? now, status: 'new', fingerprint, complaintName: input.complaintName,
    complaintRaw: raw, complaint: storedComplaint(c), windowStart: win.start, windowEnd: win.end,
    accused: c.accused, targets: c.targets, tags: input.tags ?? [], rawLast,
  }, true);
  if (earlier) {
    await tx.run('UPDATE cases SET repeat_of = ?, complaint_fp = ? WHERE id = ?', [earlier.id, complaintFp, id]);
    await audit(ctx, tx, id, 'repeat_of', `repeat of case ${earlier.id} (${earlier.status}): the same complaint again (${input.complaintName})`, false);
    await audit(ctx, tx, earlier.id, 'repeated', `the same complaint came again as case ${id}; this case is unchanged`, false);
  }
  return { id, existed: false, repeatOf: earlier?.id ?? null };
}

/** Insert the case row, its addresses and tags (and the 'created' audit line when `audited`). */
export async function insertCaseRow(ctx: StoreContext, tx: Database, r: CaseRowInput, audited: boolean): Promise<number> {
  const c = r.complaint;
  const domain = reporterDomain(c.reporter?.address);
  const win = r.windowStart === null ? complaintWindow(c, []) : { start: r.windowStart, end: r.windowEnd };
  const { lastID: id } = await tx.run(
    `INSERT INTO cases (created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text,
       subject, reporter_address, reporter_name, reporter_domain, reporter_domain_rev, window_start, window_end)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.createdAt, r.updatedAt, r.receivedAt, r.status, r.fingerprint, r.complaintName, r.rawLast ? Buffer.alloc(0) : r.complaintRaw, JSON.stringify(c), c.text ?? '',
      c.subject ?? null, c.reporter?.address?.toLowerCase() ?? null, c.reporter?.name ?? c.reporter?.organisation ?? null, domain,
      domain && reverseDomain(domain), win.start, win.end],
  );
  await tx.run('UPDATE cases SET complaint_fp = fingerprint WHERE id = ?', [id]);
  await insertAddresses(tx, id, 'accused', r.accused);
  await insertAddresses(tx, id, 'target', r.targets);
  await tx.run(`UPDATE cases SET activity = ?, primary_accused = (SELECT min(address) FROM case_addresses WHERE case_id = ? AND role = 'accused') WHERE id = ?`,
    [typeof c.activity === 'string' ? c.activity : null, id, id]);
  for (const t of r.tags) if (t.trim()) await tx.run('INSERT INTO tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING', [id, t.trim()]);
  if (audited) {
    const who = c.reporter?.address ? ` from ${c.reporter.address}` : '';
    await audit(ctx, tx, id, 'created', `complaint ${r.complaintName}${who} received (${c.format}); accused ${r.accused.join(', ') || 'none found'}`, false);
    await refreshFts(tx, id);
  }
  return id;
}

async function insertAddresses(tx: Database, caseId: number, role: 'accused' | 'target', addresses: string[]): Promise<string[]> {
  const added: string[] = [];
  for (const a of addresses) {
    const canon = canonicalAddress(a);
    if (!canon) continue;
    const r = await tx.run('INSERT INTO case_addresses (case_id, role, address, addr_key) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [caseId, role, canon, addressKey(canon)]);
    if (r.changes) added.push(canon);
  }
  return added;
}

/** Attach a vault file to the case (the record already there when the case has this content). */
export async function insertEvidence(ctx: StoreContext, tx: Database, caseId: number, sha256: string, name: string, size: number, meta: { format?: string; firstTs?: number; lastTs?: number }): Promise<number> {
  const existing = await tx.get<{ id: number; removed_at: number | null; excluded: number }>(
    'SELECT id, removed_at, excluded FROM evidence WHERE case_id = ? AND sha256 = ?', [caseId, sha256]);
  if (existing) {
    // Attached again by the operator: back in the case and read by the next run.
    if (existing.removed_at !== null || existing.excluded) {
      await tx.run('UPDATE evidence SET removed_at = NULL, excluded = 0 WHERE id = ?', [existing.id]);
      await audit(ctx, tx, caseId, 'evidence_restored', `evidence ${name} attached again (SHA-256 ${sha256}): back in the case`);
    }
    return existing.id;
  }
  const at = ctx.now();
  const { lastID } = await tx.run(
    `INSERT INTO evidence (case_id, sha256, original_name, size, format, first_ts, last_ts, attached_at, last_verified_at, last_verified_ok)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    [caseId, sha256, name, size, meta.format ?? null, meta.firstTs ?? null, meta.lastTs ?? null, at, at]);
  await audit(ctx, tx, caseId, 'evidence_attached', `evidence ${name} attached: ${size} bytes, SHA-256 ${sha256}`);
  return lastID;
}

/**
 * Record a run; when `accept`, its verdict becomes the case's headline. Adds
 * the accused the analysis settled on, fills format and time span of the
 * evidence it read, and moves 'new' to 'analysed'.
 */
export async function insertRun(ctx: StoreContext, tx: Database, caseId: number, result: AnalysisResult, durationMs: number, options: AnalysisRunOptions, previous?: AnalysisRun, accept = true): Promise<number> {
  const at = ctx.now();
  const { lastID } = await tx.run(
    `INSERT INTO analysis_runs (case_id, created_at, engine_version, schema_version, verdict, confidence, duration_ms, options_json, result_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [caseId, at, result.engineVersion, result.schemaVersion, result.verdict, result.confidence, durationMs, JSON.stringify(options), JSON.stringify(result)]);
  if (accept) {
    await tx.run('UPDATE cases SET verdict = ?, confidence = ?, headline = coalesce(?, headline), accepted_run_id = ? WHERE id = ?',
      [result.verdict, result.confidence, headlineFor(result.findings ?? [], result.verdict), lastID, caseId]);
  }
  const added = await insertAddresses(tx, caseId, 'accused', result.accused);
  if (added.length) {
    await tx.run(`UPDATE cases SET primary_accused = (SELECT min(address) FROM case_addresses WHERE case_id = ? AND role = 'accused') WHERE id = ?`, [caseId, caseId]);
  }
  await rerankAround(tx, caseId);
  // Fill in what the readers learnt about each evidence file (matched by the name they reported).
  const evidence = await tx.all<EvidenceRow>('SELECT * FROM evidence WHERE case_id = ?', [caseId]);
  for (const s of result.evidence) {
    const e = evidence.find((x) => x.original_name === s.file || basename(x.original_name) === basename(s.file) || x.sha256 === basename(s.file));
    if (e && s.format !== 'unknown') {
      await tx.run('UPDATE evidence SET format = ?, first_ts = ?, last_ts = ? WHERE id = ?', [s.format, s.firstTs ?? null, s.lastTs ?? null, e.id]);
    }
  }
  const was = previous ? `; previously ${previous.verdict} (${previous.confidence.toFixed(2)}, engine ${previous.engineVersion})` : '';
  await audit(ctx, tx, caseId, previous ? 'reanalysed' : 'analysed',
    `engine ${result.engineVersion}: ${result.verdict} (confidence ${result.confidence.toFixed(2)}) in ${Math.round(durationMs)} ms${was}`);
  const c = (await tx.get<{ status: CaseStatus }>('SELECT status FROM cases WHERE id = ?', [caseId]))!;
  if (c.status === 'new') await changeStatus(ctx, tx, caseId, 'new', 'analysed');
  if (added.length) await refreshFts(tx, caseId);
  return lastID;
}

/** A new draft version (numbers count up per case). */
export async function insertDraft(ctx: StoreContext, tx: Database, caseId: number, d: NewDraftInput): Promise<number> {
  const { n } = (await tx.get<{ n: number }>('SELECT coalesce(max(version), 0) + 1 AS n FROM drafts WHERE case_id = ?', [caseId]))!;
  const { lastID } = await tx.run('INSERT INTO drafts (case_id, version, subject, body, origin, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [caseId, n, d.subject, d.body, d.origin, d.runId ?? null, ctx.now()]);
  await audit(ctx, tx, caseId, 'draft_saved', `draft version ${n} saved (${d.origin})`);
  await refreshFts(tx, caseId);
  return lastID;
}

/** Rewrite the case's full-text row (complaint, reporter, addresses, drafts); PostgreSQL keeps it its own way (pg/search.ts). */
export async function refreshFts(tx: Database, caseId: number): Promise<void> {
  if (tx.dialect === 'postgres') return refreshSearchPg(tx, caseId);
  await tx.run('DELETE FROM case_fts WHERE rowid = ?', [caseId]);
  await tx.run(`
    INSERT INTO case_fts (rowid, subject, complaint, reporter, addresses, drafts)
    SELECT c.id, coalesce(c.subject, ''), c.complaint_text,
           trim(coalesce(c.reporter_address, '') || ' ' || coalesce(c.reporter_name, '') || ' ' || coalesce(c.reporter_domain, '')),
           coalesce((SELECT group_concat(address, ' ') FROM case_addresses a WHERE a.case_id = c.id), ''),
           coalesce((SELECT group_concat(subject || ' ' || body, ' ') FROM drafts d WHERE d.case_id = c.id), '')
    FROM cases c WHERE c.id = ?`, [caseId]);
}
