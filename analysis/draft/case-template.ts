/**
 * A stored reply template filled in for one analysed case: the single-case
 * draft when the operator has saved a template for the case's report class
 * and verdict (template-keys.ts), and the preview Settings shows against a
 * stored case. The filling itself is group-reply.ts's (the one filler); this
 * module gathers the case's own values: its complaint, the findings that
 * carry the verdict and the records that prove them, our customer, case
 * number and signature. Third parties' addresses are masked as in the
 * built-in draft.
 *
 * Pure: no store, DOM or Node types.
 */
import type { Complaint } from '../complaint/complaint';
import type { Coverage } from '../correlate/coverage';
import type { EvidenceRef, Finding } from '../detect/detector';
import type { Verdict } from '../case-vocabulary';
import { classifyReport } from '../triage/report-class';
import { formatUtc } from '../util/utc';
import { parseZone, zoneLabel } from '../util/time';
import { evidenceTable } from './evidence-table';
import { fillGroupTemplate, type GroupCaseValues, type GroupTemplate } from './group-reply';
import { maskThirdParties } from './mask';
import { templateKeyOf, type TemplateKey } from './template-keys';

/** The complaint as the store keeps it (a parsed `Complaint` has all of it too). */
export type TemplateComplaint = Pick<Complaint, 'reporter' | 'accused' | 'targets' | 'times' | 'zone' | 'activity' | 'format' | 'text'>
  & Partial<Pick<Complaint, 'subject' | 'reportFields'>>;

/** What of an analysis the template speaks of. */
export interface TemplateAnalysis {
  verdict: Verdict;
  accused: string[];
  targets: string[];
  findings: Array<Pick<Finding, 'leaning' | 'strength' | 'summary' | 'evidence'>>;
  timeOffsetSeconds: number;
  coverage?: Pick<Coverage, 'firstTs' | 'lastTs'>;
}

export interface CaseTemplateInput {
  complaint: TemplateComplaint;
  /** The complaint's log lines (parsed from its raw text). */
  quoted: Array<{ raw?: string; ts: number }>;
  /** The case's analysis (absent before one: the verdict then comes from `verdict`). */
  analysis?: TemplateAnalysis | null;
  /** The verdict when there is no analysis (a first look's), else ignored. */
  verdict?: Verdict;
  caseId?: number;
  customer?: string | null;
  signature?: string;
  /** Mask third parties' addresses (default on, as the built-in draft). */
  mask?: boolean;
}

/** As the built-in draft: at most this many records, and the letter names this many findings. */
const MAX_RECORDS = 14;
const MAX_FINDINGS = 4;

/** The findings that lean the way the verdict went, strongest first. */
function decisive(a: TemplateAnalysis): TemplateAnalysis['findings'] {
  return a.findings.filter((f) => f.leaning === a.verdict).sort((x, y) => y.strength - x.strength);
}

/** Each decisive finding's records in turn (so each is represented), then in time order. */
function records(findings: TemplateAnalysis['findings']): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  const seen = new Set<string>();
  const lists = findings.map((f) => f.evidence);
  for (let i = 0; lists.some((l) => i < l.length) && out.length < MAX_RECORDS; i++) {
    for (const l of lists) {
      const r = l[i];
      if (!r || out.length >= MAX_RECORDS) continue;
      const key = `${r.file}|${r.packet ?? r.line}|${r.offset}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
}

/** The records as the built-in draft's appendix shows them, with the span our records cover. */
function evidenceText(a: TemplateAnalysis, zoneText: string): string {
  const refs = records(decisive(a));
  if (!refs.length) return '';
  const zone = parseZone(zoneText) ?? parseZone('UTC')!;
  const zoneIsUtc = zone.offset(Date.now()) === 0 && /^(UTC|GMT|Z)?$/i.test(zoneLabel(zone));
  const second = a.timeOffsetSeconds !== 0 ? ' | as your clock shows it' : zoneIsUtc ? '' : ` | your zone, ${zoneLabel(zone)}`;
  const lines = [`The records (time in UTC${second} | packet or line | where):`, evidenceTable(refs, zone, zoneIsUtc, a.timeOffsetSeconds)];
  const c = a.coverage;
  if (c?.firstTs !== undefined && c.lastTs !== undefined) lines.push(`Our records cover ${formatUtc(c.firstTs)} to ${formatUtc(c.lastTs)}.`);
  return lines.join('\n');
}

/** The key of the template that answers this case. */
export function caseTemplateKey(input: Pick<CaseTemplateInput, 'complaint' | 'analysis' | 'verdict'>): TemplateKey {
  const c = input.complaint;
  const reportClass = classifyReport({ subject: c.subject, text: c.text, reportFields: c.reportFields, activity: c.activity, format: c.format }).reportClass;
  return templateKeyOf(reportClass, input.analysis?.verdict ?? input.verdict ?? 'inconclusive');
}

/** The case's own values for the filler. */
export function caseTemplateValues(input: CaseTemplateInput): GroupCaseValues {
  const c = input.complaint;
  const a = input.analysis ?? null;
  const key = caseTemplateKey(input);
  return {
    reporter: c.reporter,
    accused: a?.accused[0] ?? c.accused[0] ?? 'the reported address',
    quotedLines: input.quoted.map((e) => e.raw).filter((l): l is string => !!l),
    times: [...c.times.map((t) => t.ts), ...input.quoted.map((e) => e.ts)].filter(Number.isFinite),
    subject: c.subject,
    customer: input.customer ?? null,
    caseId: input.caseId,
    activity: key.reportClass === 'network-abuse' ? c.activity : key.reportClass,
    findings: a ? decisive(a).slice(0, MAX_FINDINGS).map((f) => `- ${f.summary}`) : [],
    evidence: a ? evidenceText(a, c.zone) : '',
    signature: input.signature,
  };
}

/** The template filled in for the case, third parties masked (unless the case was analysed with masking off). */
export function fillCaseTemplate(template: GroupTemplate, input: CaseTemplateInput): GroupTemplate {
  const filled = fillGroupTemplate(template, caseTemplateValues(input));
  // "Re: {subject}" for a complaint that is itself a reply: one "Re:".
  const subject = filled.subject.replace(/^(?:re:\s*)+/i, 'Re: ');
  // Ends where its text ends, as the built-in draft does.
  const body = filled.body.replace(/\s+$/, '');
  if (input.mask === false) return { subject, body };
  const a = input.analysis;
  const keep = [...(a?.accused ?? []), ...(a?.targets ?? []), ...input.complaint.accused, ...input.complaint.targets];
  return { subject, body: maskThirdParties(body, keep) };
}
