/**
 * Moving a local history into the desk's shared database (`abuse-desk store
 * migrate --from sqlite:PATH --to postgres://…`): every case with its
 * addresses, tags, evidence (the files custody-checked, then stored as
 * blobs), runs, drafts, notes, audit trail, messages, sent replies and
 * imported history.
 *
 * A case is copied whole in one transaction or not at all, and a case whose
 * fingerprint the shared database already holds is skipped, so running it
 * again (after an interruption, or twice) copies only what is missing. Ids
 * are the shared database's own (other operators' cases are there too);
 * references between rows (runs, drafts, repeats) follow the new ids. The
 * count check compares, per copied case, the rows of every table on both
 * sides.
 */
import type { Db, SqlValue } from '../db';
import { StoreError } from '../errors';
import type { EvidenceVault } from '../evidence-vault';
import { openStore } from '../open';
import { refreshSearchPg } from './search';

/** Per-case tables copied as they are (case_id remapped), in an order that satisfies their references. */
const CHILD_TABLES = ['case_addresses', 'tags', 'evidence', 'notes', 'audit', 'messages', 'imported_history'] as const;
/** Every per-case table the count check compares. */
export const COUNTED_TABLES = [...CHILD_TABLES, 'analysis_runs', 'drafts', 'sent_replies'] as const;

export interface CopyReport {
  cases: { inSource: number; copied: number; alreadyThere: number; refused: number };
  /** The desk's reply templates: a key the shared store already holds keeps the desk's text. */
  templates: { inSource: number; copied: number; alreadyThere: number };
  /** Rows of the copied cases per table: source and destination. */
  rows: Record<string, { source: number; destination: number }>;
  /** Cases not copied, with why (a custody problem with their evidence). */
  refused: Array<{ caseId: number; reason: string }>;
  /** Empty when every copied case has as many rows of each table on both sides. */
  mismatches: string[];
}

type Row = Record<string, SqlValue>;

async function columnsOf(dest: Db, table: string): Promise<Set<string>> {
  const rows = await dest.all<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = ?', [table]);
  return new Set(rows.map((r) => r.column_name));
}

async function insertRow(tx: Db, table: string, row: Row, cols: Set<string>, override: Row): Promise<number> {
  const names = Object.keys(row).filter((c) => c !== 'id' && cols.has(c));
  for (const k of Object.keys(override)) if (!names.includes(k)) names.push(k);
  const values = names.map((n) => (n in override ? override[n] : row[n]));
  const { lastID } = await tx.run(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, values);
  return lastID;
}

export async function copySqliteToPg(sourceDir: string, dest: Db, destVault: EvidenceVault, onCase?: (done: number, total: number) => void): Promise<CopyReport> {
  if (dest.dialect !== 'postgres') throw new StoreError('invalid', 'The destination of a store migration is a postgres:// URL.');
  const src = await openStore(sourceDir, { readOnly: true });
  try {
    const cols = new Map<string, Set<string>>();
    for (const t of [...COUNTED_TABLES, 'cases']) cols.set(t, await columnsOf(dest, t));
    const ids = (await src.db.all<{ id: number; fingerprint: string }>('SELECT id, fingerprint FROM cases ORDER BY id'));
    const report: CopyReport = { cases: { inSource: ids.length, copied: 0, alreadyThere: 0, refused: 0 }, templates: await copyTemplates(src.db, dest), rows: {}, refused: [], mismatches: [] };
    for (const t of COUNTED_TABLES) report.rows[t] = { source: 0, destination: 0 };
    const newIdOf = new Map<number, number>();
    const copied: number[] = [];
    for (const [i, { id, fingerprint }] of ids.entries()) {
      onCase?.(i + 1, ids.length);
      const there = await dest.get<{ id: number }>('SELECT id FROM cases WHERE fingerprint = ?', [fingerprint]);
      if (there) {
        newIdOf.set(id, there.id);
        report.cases.alreadyThere++;
        continue;
      }
      // Custody first: a file that no longer matches its SHA-256 is not carried into the shared history.
      const evidence = await src.db.all<{ sha256: string; original_name: string }>('SELECT sha256, original_name FROM evidence WHERE case_id = ?', [id]);
      const bad: string[] = [];
      for (const e of evidence) {
        const v = await src.vault.verify(e.sha256);
        if (v.state !== 'verified') bad.push(`${e.original_name} ${v.state}`);
      }
      if (bad.length) {
        report.refused.push({ caseId: id, reason: `evidence custody: ${bad.join(', ')}` });
        report.cases.refused++;
        continue;
      }
      for (const e of evidence) await destVault.putFile(src.vault.pathOf(e.sha256));
      newIdOf.set(id, await dest.transaction((tx) => copyCase(tx, src.db, id, cols)));
      copied.push(id);
      report.cases.copied++;
    }
    // Links between cases, once both ends are there.
    for (const id of copied) {
      const r = await src.db.get<{ repeat_of: number | null }>('SELECT repeat_of FROM cases WHERE id = ?', [id]);
      if (r?.repeat_of != null && newIdOf.has(r.repeat_of)) {
        await dest.run('UPDATE cases SET repeat_of = ? WHERE id = ?', [newIdOf.get(r.repeat_of)!, newIdOf.get(id)!]);
      }
    }
    for (const id of copied) {
      for (const t of COUNTED_TABLES) {
        const a = (await src.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${t} WHERE case_id = ?`, [id]))!.n;
        const b = (await dest.get<{ n: number }>(`SELECT count(*) AS n FROM ${t} WHERE case_id = ?`, [newIdOf.get(id)!]))!.n;
        report.rows[t].source += a;
        report.rows[t].destination += b;
        if (a !== b) report.mismatches.push(`case ${id} → ${newIdOf.get(id)}: ${t} ${a} here, ${b} there`);
      }
    }
    return report;
  } finally {
    await src.db.close();
  }
}

/**
 * The operator's edited reply templates (store/reply-templates.ts), each key
 * once: a template the shared desk already has (another operator's edit, or
 * an earlier run of this copy) is left as it is, so the copy stays idempotent
 * and never overwrites a colleague's text.
 */
async function copyTemplates(src: Db, dest: Db): Promise<CopyReport['templates']> {
  const rows = await src.all<Row>('SELECT * FROM reply_templates ORDER BY report_class, verdict');
  const out = { inSource: rows.length, copied: 0, alreadyThere: 0 };
  for (const r of rows) {
    const { changes } = await dest.run(
      'INSERT INTO reply_templates (report_class, verdict, subject, body, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (report_class, verdict) DO NOTHING',
      [r.report_class, r.verdict, r.subject, r.body, r.version, r.updated_at, r.updated_by],
    );
    if (changes) out.copied++;
    else out.alreadyThere++;
  }
  return out;
}

/** One case, whole, inside the destination's transaction; returns its new id. */
async function copyCase(tx: Db, src: Db, id: number, cols: Map<string, Set<string>>): Promise<number> {
  const c = (await src.get<Row>('SELECT * FROM cases WHERE id = ?', [id]))!;
  const caseId = await insertRow(tx, 'cases', c, cols.get('cases')!, { repeat_of: null, accepted_run_id: null });
  for (const t of CHILD_TABLES) {
    for (const r of await src.all<Row>(`SELECT * FROM ${t} WHERE case_id = ? ${t === 'case_addresses' || t === 'tags' ? '' : 'ORDER BY id'}`, [id])) {
      await insertRow(tx, t, r, cols.get(t)!, { case_id: caseId });
    }
  }
  const runIds = new Map<number, number>();
  for (const r of await src.all<Row>('SELECT * FROM analysis_runs WHERE case_id = ? ORDER BY id', [id])) {
    runIds.set(r.id as number, await insertRow(tx, 'analysis_runs', r, cols.get('analysis_runs')!, { case_id: caseId }));
  }
  const draftIds = new Map<number, number>();
  for (const r of await src.all<Row>('SELECT * FROM drafts WHERE case_id = ? ORDER BY id', [id])) {
    draftIds.set(r.id as number, await insertRow(tx, 'drafts', r, cols.get('drafts')!, { case_id: caseId, run_id: runIds.get(r.run_id as number) ?? null }));
  }
  for (const r of await src.all<Row>('SELECT * FROM sent_replies WHERE case_id = ? ORDER BY id', [id])) {
    await insertRow(tx, 'sent_replies', r, cols.get('sent_replies')!, { case_id: caseId, draft_id: draftIds.get(r.draft_id as number) ?? null });
  }
  if (c.accepted_run_id != null) await tx.run('UPDATE cases SET accepted_run_id = ? WHERE id = ?', [runIds.get(c.accepted_run_id as number) ?? null, caseId]);
  await refreshSearchPg(tx, caseId);
  return caseId;
}
