/**
 * The group reply: one reviewed template answers several complaints of one
 * group (the same verdict, accused and report type or activity), filled in
 * for each case from its own complaint. This module owns the text: the
 * starting template per verdict and report type (its paragraphs in
 * report-templates.ts), the placeholders, each case's values and the
 * filling; the store (which fills the preview and saves the drafts, for the
 * host's queue:groupDraft and queue:bulk) and the renderer (the editor, its
 * placeholder buttons) all call it, so the preview, the saved drafts and the
 * editor's starting text cannot drift apart.
 *
 * Pure: no store, DOM or Node types.
 */
import type { Verdict } from '../case-vocabulary';
import { formatUtc } from '../util/utc';
import { PLACEHOLDER_TOKENS } from './placeholders';
import { reportKindLabel, reportWords, verdictParagraphs } from './report-templates';

export type GroupVerdict = Verdict;

export interface GroupTemplate {
  subject: string;
  body: string;
}

/** The placeholders a template may use (the one table, placeholders.ts; the filler below knows exactly these). */
export const GROUP_PLACEHOLDERS = PLACEHOLDER_TOKENS;

/** The subject every starting template has. */
export const GROUP_SUBJECT = 'Re: {subject}';

/** The parts of a group key ("verdict|accused|kind", see store/queue.ts groupKey). */
export interface GroupParts {
  verdict: GroupVerdict;
  accused: string;
  /** The report type (phishing, malware-hosting, spam, open-service, copyright), or network abuse's activity. */
  activity: string;
}

export function parseGroupKey(key: string | null | undefined): GroupParts | null {
  if (!key) return null;
  const [verdict, accused, activity] = key.split('|');
  if (!verdict || !accused) return null;
  return { verdict: verdict as GroupVerdict, accused, activity: activity || 'other' };
}

const VERDICT_WORDS: Record<string, string> = {
  backscatter: 'backscatter', legitimate: 'legitimate traffic', compromise: 'compromise', inconclusive: 'inconclusive',
};

/**
 * The one group a selection of cases forms, or why it is none: one reviewed
 * text must not go out under a verdict or report type it does not fit.
 */
export function selectionGroup(keys: Array<string | null | undefined>): { group: GroupParts; message?: undefined } | { group?: undefined; message: string } {
  if (!keys.length) return { message: 'No cases are selected.' };
  const parts = keys.map(parseGroupKey);
  const none = parts.filter((p) => !p).length;
  if (none) return { message: `${none} of the ${keys.length} selected cases have no verdict or no accused address yet: analyse or answer them one by one.` };
  const ps = parts as GroupParts[];
  const count = (f: (p: GroupParts) => string): string[] => {
    const n = new Map<string, number>();
    for (const p of ps) n.set(f(p), (n.get(f(p)) ?? 0) + 1);
    return [...n].map(([k, c]) => `${c} ${k}`);
  };
  const verdicts = count((p) => VERDICT_WORDS[p.verdict] ?? p.verdict);
  if (verdicts.length > 1) return { message: `The selection mixes verdicts (${verdicts.join(', ')}): one reply cannot fit them all. Select one verdict at a time.` };
  const accused = count((p) => p.accused);
  if (accused.length > 1) return { message: `The selection is about different hosts (${accused.join(', ')}): select the cases of one host.` };
  const kinds = count((p) => reportKindLabel(p.activity));
  if (kinds.length > 1) return { message: `The selection mixes report types (${kinds.join(', ')}): select one type at a time.` };
  return { group: ps[0] };
}

/** The starting template for a group, by its verdict and report type. */
export function groupTemplate(verdict: GroupVerdict, activity = 'other'): GroupTemplate {
  return {
    subject: GROUP_SUBJECT,
    body: [
      '{greeting}',
      `thank you for your report about ${reportWords(activity)}.`,
      'You reported it at {times}.',
      'The lines you quoted:\n{quoted_lines}',
      ...verdictParagraphs(verdict, activity),
      'Kind regards,\nAbuse desk',
    ].join('\n\n') + '\n',
  };
}

export interface GroupReporter {
  name?: string;
  organisation?: string;
  address?: string;
}

/** A name to greet: a person's or an organisation's, never an address or a bare domain ("example.com"). */
export function reporterName(r: GroupReporter | undefined): string | null {
  for (const n of [r?.name, r?.organisation]) {
    const v = n?.trim().replace(/^["']+|["']+$/g, '').trim();
    if (!v || v.includes('@')) continue;
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)+\.?$/i.test(v)) continue;
    return v;
  }
  return null;
}

/** "Dear Alpha NOC," or "Hello," when the reporter gave no name. */
export function greeting(r: GroupReporter | undefined): string {
  const n = reporterName(r);
  return n ? `Dear ${n},` : 'Hello,';
}

/** One case's own values. */
export interface GroupCaseValues {
  reporter?: GroupReporter;
  accused: string;
  /** The complaint's log lines, as written. */
  quotedLines: string[];
  /** Times the complaint gives, µs since the epoch (UTC). */
  times: number[];
  subject?: string;
  /** Our customer using the accused address (null or absent: none known, and a line naming it is left out). */
  customer?: string | null;
  /** Our case number. */
  caseId?: number;
  /** The report type or network activity ({report}: "a port scan from …"). */
  activity?: string;
  /** What the analysis found, one line each, and the records that prove it (absent before an analysis). */
  findings?: string[];
  evidence?: string;
  /** The desk's signature from settings ("Abuse desk" when none). */
  signature?: string;
}

/** What a stored case gives the filler: its complaint as understood and the log lines it quotes. */
export interface GroupCaseSource {
  reporter?: GroupReporter;
  accused?: string[];
  /** Times the complaint gives, µs since the epoch. */
  times?: Array<{ ts: number }>;
  subject?: string;
}

/**
 * One case's values: its own reporter, times, subject and quoted lines; the
 * accused is the case's primary accused, else the first the complaint names,
 * else the group's.
 */
export function groupCaseValues(c: GroupCaseSource, quoted: Array<{ raw?: string; ts: number }>, accused: { primary: string | null; group: string }): GroupCaseValues {
  return {
    reporter: c.reporter,
    accused: accused.primary ?? c.accused?.[0] ?? accused.group,
    quotedLines: quoted.map((e) => e.raw).filter((l): l is string => !!l),
    times: [...(c.times ?? []).map((t) => t.ts), ...quoted.map((e) => e.ts)],
    subject: c.subject,
  };
}

/** To the nearest millisecond, then the second it falls in (as this reply always wrote it). */
function utc(us: number): string {
  return formatUtc(Math.round(us / 1000) * 1000);
}

function timesText(us: number[]): string {
  const t = [...new Set(us)].sort((a, b) => a - b).map(utc);
  if (t.length > 6) return `${t[0]} to ${t.at(-1)} (${t.length} times)`;
  return t.join(', ');
}

/** "Alpha NOC <abuse@alpha.example>", the address alone, or "you". */
function complainantText(r: GroupReporter | undefined, name: string | null): string {
  const address = r?.address?.trim();
  if (name && address) return `${name} <${address}>`;
  return name ?? address ?? 'you';
}

const PLACEHOLDER = new RegExp(`\\{(${GROUP_PLACEHOLDERS.map((p) => p.slice(1, -1)).join('|')})\\}`, 'g');

/**
 * The template filled in for one case. A line whose placeholder has nothing
 * to fill (no quoted lines, no times) is left out rather than filled with a
 * stand-in, together with a plain lead-in line ending in ":" just before it,
 * and a paragraph left empty goes too. "Dear {reporter}," greets with
 * "Hello," when the reporter gave no name.
 */
export function fillGroupTemplate(template: GroupTemplate, v: GroupCaseValues): GroupTemplate {
  const name = reporterName(v.reporter);
  const values: Record<string, string> = {
    greeting: greeting(v.reporter),
    reporter: name ?? 'you',
    complainant: complainantText(v.reporter, name),
    accused: v.accused,
    customer: v.customer ?? '',
    report: reportWords(v.activity ?? 'other').replaceAll('{accused}', v.accused),
    quoted_lines: v.quotedLines.join('\n'),
    times: timesText(v.times),
    subject: v.subject ?? '',
    findings: (v.findings ?? []).join('\n'),
    evidence: v.evidence ?? '',
    case: v.caseId !== undefined ? String(v.caseId) : '',
    signature: v.signature?.trim() ? v.signature.replace(/\s+$/, '') : 'Abuse desk',
  };
  const fill = (s: string): string => s.replace(PLACEHOLDER, (_, k: string) => values[k]);
  const names = (line: string): string[] => [...line.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const empty = (line: string): boolean => names(line).some((k) => k !== 'reporter' && k !== 'subject' && !values[k]);
  const paragraphs: string[] = [];
  for (const p of template.body.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const kept: string[] = [];
    for (const line of p.split('\n')) {
      if (!empty(line)) { kept.push(line); continue; }
      const prev = kept.at(-1);
      if (prev !== undefined && /:\s*$/.test(prev) && !names(prev).length) kept.pop();
    }
    if (!kept.some((l) => l.trim())) continue;
    const text = kept.join('\n');
    paragraphs.push(fill(name ? text : text.replace(/^(\s*)Dear \{reporter\}\s*,/, '$1{greeting}')));
  }
  return { subject: fill(template.subject).replace(/^Re:\s*$/, 'Re: your report'), body: paragraphs.join('\n\n') };
}
