/**
 * The operator's reply templates, one per report class and verdict
 * (analysis/draft/template-keys.ts), kept in the case store so every app of
 * a desk sharing one store answers with the same texts. A key never saved
 * has no row and means the built-in text; resetting keeps the row with no
 * text, so its version goes on counting. Each save and reset names its
 * operator and counts the version up; given the version the operator
 * edited, a template changed or reset since is refused ('conflict', naming
 * who and when), like a case's status.
 */
import { REPORT_CLASSES, VERDICTS, type ReportClass, type Verdict } from '../analysis/case-vocabulary';
import { unknownPlaceholderMessage, unknownPlaceholders } from '../analysis/draft/placeholders';
import { templateKeyLabel, type TemplateKey } from '../analysis/draft/template-keys';
import { StoreError } from './errors';
import { operatorOf, read, write, type StoreContext } from './transaction';

/** Longest subject (RFC 5322 line) and body a template may have. */
export const TEMPLATE_LIMITS = { subjectChars: 998, bodyChars: 64 * 1024 } as const;

export interface StoredReplyTemplate {
  reportClass: ReportClass;
  verdict: Verdict;
  /** The operator's text; null: the built-in text (never saved, or reset). */
  template: { subject: string; body: string } | null;
  /** Counts up with every save and reset; 0: never touched. */
  version: number;
  updatedAt: number | null;
  updatedBy: string | null;
}

interface Row {
  report_class: string; verdict: string; subject: string | null; body: string | null; version: number; updated_at: number; updated_by: string;
}

function toTemplate(r: Row): StoredReplyTemplate {
  return {
    reportClass: r.report_class as ReportClass,
    verdict: r.verdict as Verdict,
    template: r.subject !== null && r.body !== null ? { subject: r.subject, body: r.body } : null,
    version: Number(r.version),
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
  };
}

const untouched = (k: TemplateKey): StoredReplyTemplate => ({ ...k, template: null, version: 0, updatedAt: null, updatedBy: null });

function validKey(k: TemplateKey): TemplateKey {
  if (!(REPORT_CLASSES as readonly string[]).includes(k.reportClass) || !(VERDICTS as readonly string[]).includes(k.verdict)) {
    throw new StoreError('invalid', `There is no reply template for report class "${String(k.reportClass)}" and verdict "${String(k.verdict)}".`);
  }
  return { reportClass: k.reportClass, verdict: k.verdict };
}

/** A template the filler can fill: text, within bounds, every placeholder known. */
function validText(t: { subject: string; body: string }): { subject: string; body: string } {
  if (!t.body.trim()) throw new StoreError('invalid', 'A reply template cannot be empty: reset it to use the built-in text.');
  if (t.subject.length > TEMPLATE_LIMITS.subjectChars || /[\r\n]/.test(t.subject)) throw new StoreError('invalid', 'A template\'s subject is one line of at most 998 characters.');
  if (t.body.length > TEMPLATE_LIMITS.bodyChars) throw new StoreError('invalid', `A template's text is at most ${TEMPLATE_LIMITS.bodyChars} characters.`);
  const unknown = unknownPlaceholders(`${t.subject}\n${t.body}`);
  if (unknown.length) throw new StoreError('invalid', `The template cannot be filled: ${unknownPlaceholderMessage(unknown)}.`);
  return { subject: t.subject, body: t.body };
}

const SELECT = 'SELECT * FROM reply_templates WHERE report_class = ? AND verdict = ?';

/** The key's template as stored (version 0 and no text when never saved). */
export async function getReplyTemplate(ctx: StoreContext, key: TemplateKey): Promise<StoredReplyTemplate> {
  const k = validKey(key);
  const r = await read(ctx, () => ctx.db.get<Row>(SELECT, [k.reportClass, k.verdict]));
  return r ? toTemplate(r) : untouched(k);
}

/** Every key ever saved or reset, in the order of the vocabulary (network abuse first). */
export async function listReplyTemplates(ctx: StoreContext): Promise<StoredReplyTemplate[]> {
  const rows = await read(ctx, () => ctx.db.all<Row>('SELECT * FROM reply_templates'));
  const order = (r: StoredReplyTemplate): number => REPORT_CLASSES.indexOf(r.reportClass) * VERDICTS.length + VERDICTS.indexOf(r.verdict);
  return rows.map(toTemplate).sort((a, b) => order(a) - order(b));
}

/** Write the key's text (null: reset), refusing a change made on an older version. */
async function put(ctx: StoreContext, key: TemplateKey, text: { subject: string; body: string } | null, expectedVersion: number | undefined): Promise<StoredReplyTemplate> {
  const k = validKey(key);
  return write(ctx, async (tx) => {
    const cur = await tx.get<Row>(SELECT, [k.reportClass, k.verdict]);
    const version = cur ? Number(cur.version) : 0;
    if (expectedVersion !== undefined && expectedVersion !== version) {
      const when = cur ? new Date(Number(cur.updated_at)).toISOString() : 'earlier';
      throw new StoreError('conflict', `The reply template "${templateKeyLabel(k)}" was ${cur?.body === null ? 'reset' : 'changed'} by ${cur?.updated_by ?? 'someone'} at ${when} `
        + `since you opened it (version ${version} now, yours ${expectedVersion}): reload it to see their text before you change it.`);
    }
    if (!cur && !text) return untouched(k); // resetting what was never saved changes nothing
    const row: Row = {
      report_class: k.reportClass, verdict: k.verdict, subject: text?.subject ?? null, body: text?.body ?? null,
      version: version + 1, updated_at: ctx.now(), updated_by: operatorOf(ctx),
    };
    await tx.run(`INSERT INTO reply_templates (report_class, verdict, subject, body, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (report_class, verdict) DO UPDATE SET subject = excluded.subject, body = excluded.body, version = excluded.version,
        updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [row.report_class, row.verdict, row.subject, row.body, row.version, row.updated_at, row.updated_by]);
    return toTemplate(row);
  });
}

/** Save the operator's text for the key; unknown placeholders, an empty text or an overlong one are refused ('invalid'). */
export async function setReplyTemplate(ctx: StoreContext, key: TemplateKey, text: { subject: string; body: string }, opts: { expectedVersion?: number } = {}): Promise<StoredReplyTemplate> {
  return put(ctx, key, validText(text), opts.expectedVersion);
}

/** Back to the built-in text. */
export async function resetReplyTemplate(ctx: StoreContext, key: TemplateKey, opts: { expectedVersion?: number } = {}): Promise<StoredReplyTemplate> {
  return put(ctx, key, null, opts.expectedVersion);
}

export interface ReplyTemplates {
  get(key: TemplateKey): Promise<StoredReplyTemplate>;
  list(): Promise<StoredReplyTemplate[]>;
  set(key: TemplateKey, text: { subject: string; body: string }, opts?: { expectedVersion?: number }): Promise<StoredReplyTemplate>;
  reset(key: TemplateKey, opts?: { expectedVersion?: number }): Promise<StoredReplyTemplate>;
}

/** The template operations of a store (CaseStore.replyTemplates). */
export function replyTemplatesOf(ctx: StoreContext): ReplyTemplates {
  return {
    get: (key) => getReplyTemplate(ctx, key),
    list: () => listReplyTemplates(ctx),
    set: (key, text, opts) => setReplyTemplate(ctx, key, text, opts),
    reset: (key, opts) => resetReplyTemplate(ctx, key, opts),
  };
}
