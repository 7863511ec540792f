/**
 * The operator's reply templates (Settings → Reply templates): one per
 * report class and verdict, stored in the case store; the built-in text
 * until one is saved, back to it on reset; previewed against a stored case.
 * A template naming a placeholder the filler does not know is refused here,
 * naming it. Collected into the contract's `channels` table.
 */
import { z } from 'zod';
import { REPORT_CLASSES, VERDICTS, type ReportClass, type Verdict } from '../../analysis/case-vocabulary';
import { unknownPlaceholderMessage, unknownPlaceholders, type Placeholder } from '../../analysis/draft/placeholders';
import { channel } from './channel';

export type { Placeholder };

/** One template as Settings shows it. */
export interface TemplateView {
  reportClass: ReportClass;
  verdict: Verdict;
  /** "Network abuse · backscatter". */
  label: string;
  /** The text in use: the operator's when `custom`, else the built-in one. */
  subject: string;
  body: string;
  custom: boolean;
  /** The built-in text, for comparing and for what reset brings back. */
  builtIn: { subject: string; body: string };
  /** Pass back as `expectedVersion`: a template changed since by someone else is refused. */
  version: number;
  updatedAt: number | null;
  updatedBy: string | null;
}

export interface TemplateList {
  templates: TemplateView[];
  placeholders: Placeholder[];
}

/** The template filled in for one stored case: what its draft would say. */
export interface TemplatePreview {
  caseId: number;
  subject: string;
  body: string;
  /** Our customer for the case's accused address, when the customer list knows it. */
  customer: string | null;
  /** The template the case's own report class and verdict would use (may differ from the one previewed). */
  caseKey: { reportClass: ReportClass; verdict: Verdict };
}

const key = { reportClass: z.enum(REPORT_CLASSES), verdict: z.enum(VERDICTS) };
const text = { subject: z.string().max(998).regex(/^[^\r\n]*$/, { message: 'one line' }), body: z.string().max(64 * 1024) };

/** Every placeholder in the subject and body must be one the filler knows. */
function knownPlaceholders(t: { subject: string; body: string }, ctx: z.RefinementCtx): void {
  for (const field of ['subject', 'body'] as const) {
    const unknown = unknownPlaceholders(t[field]);
    if (unknown.length) ctx.addIssue({ code: 'custom', path: [field], message: unknownPlaceholderMessage(unknown) });
  }
}

const expectedVersion = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

export const templateChannels = {
  /** Every template (built-in or the operator's) and the placeholders they may use. */
  'templates:list': channel(z.strictObject({})).returns<TemplateList>(),

  /** One template: the group reply's editor starts from it. */
  'templates:get': channel(z.strictObject(key)).returns<TemplateView>(),

  /** Save the operator's text; from then on drafts and group replies of that class and verdict use it. */
  'templates:set': channel(z.strictObject({ ...key, ...text, expectedVersion }).superRefine((t, ctx) => {
    if (!t.body.trim()) ctx.addIssue({ code: 'custom', path: ['body'], message: 'empty: reset the template to use the built-in text' });
    knownPlaceholders(t, ctx);
  })).returns<TemplateView>(),

  /** Back to the built-in text. */
  'templates:reset': channel(z.strictObject({ ...key, expectedVersion })).returns<TemplateView>(),

  /** The text as it stands in the editor, filled in for a stored case; nothing is saved. */
  'templates:preview': channel(z.strictObject({
    ...key, ...text, caseId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  }).superRefine(knownPlaceholders)).returns<TemplatePreview>(),
} as const;
