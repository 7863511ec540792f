/**
 * The store's side of the group reply: read each case's rows and hand them to
 * analysis/draft/group-reply.ts, the one owner of the text (placeholders, each
 * case's values, the filling). The preview the operator reads and the drafts
 * replyToGroup saves are filled by the same fillGroupDrafts, so they cannot
 * differ.
 */
import { parseComplaint } from '../analysis/complaint/parse-complaint';
import { caseTemplateValues } from '../analysis/draft/case-template';
import { fillGroupTemplate, groupCaseValues, selectionGroup } from '../analysis/draft/group-reply';
import type { AnalysisResult } from '../analysis/pipeline';
import { audit, insertDraft } from './cases/insert';
import { draftById } from './cases/rows';
import type { Database } from './database';
import { StoreError } from './errors';
import type { GroupReplyResult, ReplyTemplate } from './intake-types';
import { mustExist, read, write, type StoreContext } from './transaction';
import type { DraftVersion, StoredComplaint } from './types';

interface GroupRow {
  id: number; group_key: string | null; complaint_raw: Buffer; complaint_json: string; primary_accused: string | null; reporter_address: string | null;
}

/** What the filler needs that the store does not keep: the desk's signature and our customer of each accused address. */
export interface GroupReplyExtras {
  signature?: string;
  customers?: Record<string, string>;
}

export interface FilledGroupDraft extends ReplyTemplate {
  caseId: number;
  /** The reporter it goes to. */
  to: string | null;
}

/**
 * The template filled in for each case, in the order of `caseIds`. Refuses
 * ('invalid') cases that are not one group, naming what differs, and
 * ('not_found') ids that do not exist.
 */
export async function fillGroupDrafts(db: Database, caseIds: number[], template: ReplyTemplate, extras: GroupReplyExtras = {}): Promise<{ groupKey: string; drafts: FilledGroupDraft[] }> {
  const ids = [...new Set(caseIds)];
  if (!ids.length) throw new StoreError('invalid', 'No cases to reply to.');
  if (!template.body.trim()) throw new StoreError('invalid', 'The reply template is empty.');
  const rows = await db.all<GroupRow>(
    `SELECT id, group_key, complaint_raw, complaint_json, primary_accused, reporter_address FROM cases WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new StoreError('not_found', `There is no case ${missing.join(', ')}.`);
  const sel = selectionGroup(rows.map((r) => r.group_key));
  if (!sel.group) throw new StoreError('invalid', `Cases ${ids.join(', ')} cannot share one reply. ${sel.message}`);
  const drafts: FilledGroupDraft[] = [];
  for (const id of ids) {
    const r = rows.find((x) => x.id === id)!;
    const c = JSON.parse(r.complaint_json) as StoredComplaint;
    const parsed = await parseComplaint(new Uint8Array(r.complaint_raw), { fileName: 'complaint' }).catch(() => null);
    const values = groupCaseValues(c, parsed?.quotedEvents ?? [], { primary: r.primary_accused, group: sel.group.accused });
    const analysed = await analysedValues(db, id, template, c);
    const filled = fillGroupTemplate(template, {
      ...values, ...analysed, caseId: id, activity: sel.group.activity, signature: extras.signature, customer: extras.customers?.[values.accused] ?? null,
    });
    drafts.push({ caseId: id, ...filled, to: r.reporter_address });
  }
  return { groupKey: rows[0].group_key!, drafts };
}

/** {findings} and {evidence} from the case's accepted run, read only when the template asks for them. */
async function analysedValues(db: Database, caseId: number, template: ReplyTemplate, c: StoredComplaint): Promise<{ findings?: string[]; evidence?: string }> {
  if (!/\{(?:findings|evidence)\}/.test(template.body)) return {};
  const run = await db.get<{ result_json: string }>('SELECT r.result_json FROM cases c JOIN analysis_runs r ON r.id = c.accepted_run_id WHERE c.id = ?', [caseId]);
  if (!run) return {};
  const { findings, evidence } = caseTemplateValues({ complaint: c, quoted: [], analysis: JSON.parse(run.result_json) as AnalysisResult });
  return { findings, evidence };
}

/** The drafts replyToGroup would save, without saving anything. */
export async function previewGroupReply(ctx: StoreContext, caseIds: number[], template: ReplyTemplate, extras: GroupReplyExtras = {}): Promise<FilledGroupDraft[]> {
  return (await read(ctx, () => fillGroupDrafts(ctx.db, caseIds, template, extras))).drafts;
}

/** One new 'edited' draft version per case, filled from that case's own complaint, in one transaction. */
export async function replyToGroup(ctx: StoreContext, caseIds: number[], template: ReplyTemplate, extras: GroupReplyExtras = {}): Promise<GroupReplyResult> {
  const { groupKey, drafts: filled } = await read(ctx, () => fillGroupDrafts(ctx.db, caseIds, template, extras));
  return write(ctx, async (tx) => {
    const drafts: DraftVersion[] = [];
    for (const f of filled) {
      await mustExist(tx, f.caseId);
      const draftId = await insertDraft(ctx, tx, f.caseId, { subject: f.subject, body: f.body, origin: 'edited' });
      await audit(ctx, tx, f.caseId, 'group_reply', `draft from one reviewed reply to ${filled.length} cases of group ${groupKey}`);
      drafts.push(await draftById(tx, draftId));
    }
    return { drafts };
  });
}
