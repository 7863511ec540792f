/**
 * The reply templates the operator can edit in Settings: one per report
 * class and verdict (network abuse by its verdict; phishing, malware
 * hosting, spam, open services and copyright by their class, each as it
 * reads before and after an analysis confirms it). Each has a built-in
 * starting text made of the same paragraphs the group reply starts from
 * (report-templates.ts); a template stored in the case store overrides it,
 * and resetting it brings the built-in text back.
 *
 * Pure: no store, DOM or Node types.
 */
import { REPORT_CLASSES, VERDICTS, type ReportClass, type Verdict } from '../case-vocabulary';
import { GROUP_SUBJECT, type GroupTemplate } from './group-reply';
import { reportKind, verdictParagraphs } from './report-templates';

export interface TemplateKey {
  reportClass: ReportClass;
  verdict: Verdict;
}

/** Every key, network abuse first, in the order Settings lists them. */
export const TEMPLATE_KEYS: readonly TemplateKey[] = REPORT_CLASSES.flatMap((reportClass) => VERDICTS.map((verdict) => ({ reportClass, verdict })));

const CLASS_WORDS: Record<ReportClass, string> = {
  'network-abuse': 'Network abuse', phishing: 'Phishing', 'malware-hosting': 'Malware hosting', spam: 'Spam', 'open-service': 'Open service', copyright: 'Copyright',
};
const VERDICT_WORDS: Record<Verdict, string> = {
  backscatter: 'backscatter', legitimate: 'legitimate', compromise: 'compromise (confirmed)', inconclusive: 'inconclusive / not analysed',
};

export function reportClassLabel(c: ReportClass): string {
  return CLASS_WORDS[c];
}

export function verdictLabel(v: Verdict): string {
  return VERDICT_WORDS[v];
}

/** "Network abuse · backscatter". */
export function templateKeyLabel(k: TemplateKey): string {
  return `${CLASS_WORDS[k.reportClass]} · ${VERDICT_WORDS[k.verdict]}`;
}

export function sameKey(a: TemplateKey, b: TemplateKey): boolean {
  return a.reportClass === b.reportClass && a.verdict === b.verdict;
}

/**
 * The template that answers a case: its report class (none known: network
 * abuse) and verdict. A group key's third part is a report type or a network
 * activity; `reportKind` tells them apart.
 */
export function templateKeyOf(reportClassOrActivity: string | null | undefined, verdict: Verdict): TemplateKey {
  const kind = reportKind(reportClassOrActivity ?? 'other');
  return { reportClass: kind === 'network' ? 'network-abuse' : kind, verdict };
}

/**
 * The built-in text: greeting, the report in words, the times and lines it
 * quotes, the verdict's paragraphs with our findings between them, the
 * signature, and the records as an appendix. A line whose placeholder has
 * nothing to fill (no quoted lines, no analysis yet) is left out when the
 * template is filled (group-reply.ts), with its lead-in line.
 */
export function defaultTemplate(k: TemplateKey): GroupTemplate {
  const [verdictText, ...rest] = verdictParagraphs(k.verdict, k.reportClass === 'network-abuse' ? 'other' : k.reportClass);
  return {
    subject: GROUP_SUBJECT,
    body: [
      '{greeting}',
      'thank you for your report about {report}.',
      'You reported it at {times}.',
      'The lines you quoted:\n{quoted_lines}',
      verdictText,
      'What our records show:\n{findings}',
      ...rest,
      'Kind regards,\n{signature}',
      'Evidence (appendix):\n{evidence}',
    ].join('\n\n') + '\n',
  };
}
