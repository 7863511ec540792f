/**
 * Case reads: one case whole (with its evidence custody checked), the
 * evidence re-hashed, related cases and the history of one host. Listing and
 * full-text search are in search.ts.
 */
import { canonicalAddress, cidrKeyRange } from '../address-key';
import { StoreError } from '../errors';
import { reverseDomain } from '../search';
import { read, write, type StoreContext } from '../transaction';
import type { AuditEntry, CaseDetail, EvidenceRecord, HostHistory, Note, RelatedCase, RelationReason, StoredComplaint } from '../types';
import { audit } from './insert';
import {
  custodyError, MAX_WINDOW_MS, SUMMARY_COLS, toDraft, toEvidence, toRun, toSummary,
  type AuditRow, type DetailRow, type DraftRow, type EvidenceRow, type NoteRow, type RunRow, type SummaryRow,
} from './rows';

export async function getCase(ctx: StoreContext, id: number, opts: { verifyEvidence?: boolean } = {}): Promise<CaseDetail> {
  const { db } = ctx;
  const detail = await read(ctx, async () => {
    const row = await db.get<DetailRow>(`SELECT ${SUMMARY_COLS}, c.complaint_name, c.complaint_raw, c.complaint_json, c.fingerprint, c.repeat_of, c.accepted_run_id FROM cases c WHERE c.id = ?`, [id]);
    if (!row) throw new StoreError('not_found', `There is no case ${id}.`);
    const [targets, evidence, runs, drafts, notes, audit, repeats, imported] = await Promise.all([
      db.all<{ address: string }>("SELECT address FROM case_addresses WHERE case_id = ? AND role = 'target' ORDER BY address", [id]),
      db.all<EvidenceRow>('SELECT * FROM evidence WHERE case_id = ? ORDER BY id', [id]),
      db.all<RunRow>('SELECT * FROM analysis_runs WHERE case_id = ? ORDER BY id', [id]),
      db.all<DraftRow>('SELECT * FROM drafts WHERE case_id = ? ORDER BY version', [id]),
      db.all<NoteRow>('SELECT * FROM notes WHERE case_id = ? ORDER BY id', [id]),
      db.all<AuditRow>('SELECT * FROM audit WHERE case_id = ? ORDER BY id', [id]),
      db.all<{ id: number }>('SELECT id FROM cases WHERE repeat_of = ? ORDER BY id', [id]),
      db.all<{ bundle: string; imported_at: number; at: number; action: string; detail: string }>(
        'SELECT bundle, imported_at, at, action, detail FROM imported_history WHERE case_id = ? ORDER BY id', [id]),
    ]);
    return { row, targets, evidence, runs, drafts, notes, audit, repeats, imported };
  });
  const evidence = opts.verifyEvidence
    ? await verifyEvidence(ctx, id)
    : await Promise.all(detail.evidence.map(async (e) => toEvidence(e, await ctx.vault.quickCheck(e.sha256, e.size))));
  const { row } = detail;
  return {
    ...toSummary(row),
    complaintName: row.complaint_name,
    complaintRaw: row.complaint_raw.toString('utf8'),
    complaint: JSON.parse(row.complaint_json) as StoredComplaint,
    fingerprint: row.fingerprint,
    repeatOf: row.repeat_of,
    repeatedBy: detail.repeats.map((r) => r.id),
    acceptedRunId: row.accepted_run_id,
    targets: detail.targets.map((t) => t.address),
    evidence,
    runs: detail.runs.map(toRun),
    drafts: detail.drafts.map(toDraft),
    notes: detail.notes.map((n): Note => ({ id: n.id, caseId: n.case_id, body: n.body, createdAt: n.created_at })),
    audit: detail.audit.map((a): AuditEntry => ({ id: a.id, caseId: a.case_id, at: a.at, action: a.action, detail: a.detail, operator: a.operator })),
    importedHistory: detail.imported.map((h) => ({ bundle: h.bundle, importedAt: h.imported_at, at: h.at, action: h.action, detail: h.detail })),
    custodyProblem: evidence.some((e) => e.custody === 'mismatch' || e.custody === 'missing'),
  };
}

export async function verifyEvidence(ctx: StoreContext, caseId: number): Promise<EvidenceRecord[]> {
  const rows = await read(ctx, () => ctx.db.all<EvidenceRow>('SELECT * FROM evidence WHERE case_id = ? ORDER BY id', [caseId]));
  const out: EvidenceRecord[] = [];
  const at = ctx.now();
  for (const r of rows) {
    const v = await ctx.vault.verify(r.sha256);
    out.push(toEvidence({ ...r, last_verified_at: at, last_verified_ok: v.state === 'verified' ? 1 : 0 }, v.state, v.state === 'mismatch' ? v.actualSha256 : undefined));
  }
  if (ctx.readOnlyReason === undefined && rows.length) {
    await write(ctx, async (tx) => {
      for (const e of out) {
        await tx.run('UPDATE evidence SET last_verified_at = ?, last_verified_ok = ? WHERE id = ?', [at, e.custody === 'verified' ? 1 : 0, e.id]);
        if (e.custody === 'mismatch') {
          await audit(ctx, tx, caseId, 'custody_mismatch', `evidence ${e.originalName}: SHA-256 is now ${e.actualSha256}, ${e.sha256} was recorded when it was attached`);
        } else if (e.custody === 'missing') {
          await audit(ctx, tx, caseId, 'custody_mismatch', `evidence ${e.originalName} (SHA-256 ${e.sha256}) is missing from the data folder`);
        }
      }
      const ok = out.filter((e) => e.custody === 'verified').length;
      if (ok === out.length) await audit(ctx, tx, caseId, 'custody_verified', `${ok} evidence file${ok === 1 ? '' : 's'} verified`);
    }).catch(() => undefined); // recording the check is best effort; the result is returned regardless
  }
  return out;
}

export async function evidencePath(ctx: StoreContext, evidenceId: number): Promise<{ path: string; evidence: EvidenceRecord }> {
  const r = await read(ctx, () => ctx.db.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [evidenceId]));
  if (!r) throw new StoreError('not_found', `There is no evidence ${evidenceId}.`);
  const v = await ctx.vault.verify(r.sha256);
  const e = toEvidence(r, v.state, v.state === 'mismatch' ? v.actualSha256 : undefined);
  if (v.state !== 'verified') {
    await verifyEvidence(ctx, r.case_id); // records it in the audit trail
    throw custodyError(r.case_id, [e]);
  }
  return { path: ctx.vault.pathOf(r.sha256), evidence: e };
}

export async function relatedCases(ctx: StoreContext, id: number, limit = 50): Promise<RelatedCase[]> {
  const { db } = ctx;
  return read(ctx, async () => {
    const me = await db.get<{ reporter_address: string | null; reporter_domain: string | null; window_start: number | null; window_end: number | null }>(
      'SELECT reporter_address, reporter_domain, window_start, window_end FROM cases WHERE id = ?', [id]);
    if (!me) throw new StoreError('not_found', `There is no case ${id}.`);
    const found = new Map<number, { reasons: Set<RelationReason>; shared: string[] }>();
    const add = (caseId: number, reason: RelationReason, shared: string[] = []): void => {
      const f = found.get(caseId) ?? { reasons: new Set(), shared: [] };
      f.reasons.add(reason);
      f.shared.push(...shared);
      found.set(caseId, f);
    };
    const sameAccused = await db.all<{ case_id: number; shared: string }>(
      `SELECT b.case_id, string_agg(b.address, '\n') AS shared
       FROM case_addresses a JOIN case_addresses b ON b.address = a.address AND b.role = 'accused' AND b.case_id != a.case_id
       WHERE a.case_id = ? AND a.role = 'accused' GROUP BY b.case_id ORDER BY b.case_id DESC LIMIT ?`, [id, limit]);
    for (const r of sameAccused) add(r.case_id, 'same-accused', r.shared.split('\n'));
    const sameReporter = me.reporter_address
      ? await db.all<{ id: number }>('SELECT id FROM cases WHERE reporter_address = ? AND id != ? ORDER BY id DESC LIMIT ?', [me.reporter_address, id, limit])
      : me.reporter_domain
        ? await db.all<{ id: number }>('SELECT id FROM cases WHERE reporter_domain_rev = ? AND id != ? ORDER BY id DESC LIMIT ?', [reverseDomain(me.reporter_domain), id, limit])
        : [];
    for (const r of sameReporter) add(r.id, 'same-reporter');
    if (me.window_start !== null && me.window_end !== null) {
      const overlapping = await db.all<{ id: number }>(
        `SELECT id FROM cases WHERE window_start BETWEEN ? AND ? AND window_end >= ? AND id != ?
         ORDER BY abs(window_start - ?) LIMIT 20`,
        [me.window_start - MAX_WINDOW_MS, me.window_end, me.window_start, id, me.window_start]);
      for (const r of overlapping) add(r.id, 'overlapping-window');
    }
    if (!found.size) return [];
    const ids = [...found.keys()];
    const rows = await db.all<SummaryRow>(`SELECT ${SUMMARY_COLS} FROM cases c WHERE c.id IN (${ids.map(() => '?').join(',')})`, ids);
    const rank = (r: RelatedCase): number => r.reasons.length * 4 + (r.reasons.includes('same-accused') ? 2 : 0) + (r.reasons.includes('same-reporter') ? 1 : 0);
    return rows
      .map((r): RelatedCase => {
        const f = found.get(r.id)!;
        return { case: toSummary(r), reasons: [...f.reasons], sharedAddresses: [...new Set(f.shared)].sort() };
      })
      .sort((a, b) => rank(b) - rank(a) || b.case.receivedAt - a.case.receivedAt)
      .slice(0, limit);
  });
}

export async function hostHistory(ctx: StoreContext, address: string): Promise<HostHistory> {
  const range = cidrKeyRange(address);
  if (!range) throw new StoreError('invalid', `"${address}" is not an address or CIDR.`);
  return read(ctx, async () => {
    const rows = await ctx.db.all<SummaryRow>(
      `SELECT ${SUMMARY_COLS} FROM cases c WHERE c.id IN
         (SELECT case_id FROM case_addresses WHERE role = 'accused' AND addr_key BETWEEN ? AND ?)
       ORDER BY c.received_at, c.id LIMIT 5000`, [range.lo, range.hi]);
    const cases = rows.map(toSummary);
    const byVerdict: HostHistory['byVerdict'] = { backscatter: 0, legitimate: 0, compromise: 0, inconclusive: 0, none: 0 };
    const byStatus: HostHistory['byStatus'] = { new: 0, analysed: 0, replied: 0, closed: 0 };
    for (const c of cases) {
      byVerdict[c.verdict ?? 'none']++;
      byStatus[c.status]++;
    }
    return {
      address: canonicalAddress(address) ?? address.trim(),
      cases,
      firstSeen: cases[0]?.receivedAt ?? null,
      lastSeen: cases.at(-1)?.receivedAt ?? null,
      byVerdict,
      byStatus,
    };
  });
}
