import { emptyGathered, readStructured, type Gathered } from '../attachments';
import { findFeedbackReport, parseFeedbackReport } from '../arf';
import type { ReportFacts } from '../facts';
import type { MailParts } from '../mail';
import { findXarfYamlBlocks, parseXarfYaml } from '../xarf';

/** The structured reports of a message: the body's own first, then the attachments'. */
export interface StructuredReports {
  reports: ReportFacts[];
  /** The body is itself a CSV or X-ARF JSON report: its times are in known fields, its other columns are not prose. */
  structuredBody: boolean;
}

/**
 * The body itself may be structured: a pasted ARF report, X-ARF JSON or
 * YAML, a Shadowserver CSV. In a mail, only X-ARF YAML blocks and (unless an
 * attachment already is one) an ARF feedback report are looked for in it.
 */
export function structuredReports(bodyText: string, file: string, mail: MailParts | null, attached: Gathered): StructuredReports {
  const body = emptyGathered();
  if (!mail) readStructured(bodyText, file, 'text/plain', body);
  else {
    for (const block of findXarfYamlBlocks(bodyText)) body.reports.push(parseXarfYaml(block));
    if (!attached.reports.some((r) => r.format === 'arf')) {
      const fr = findFeedbackReport(bodyText);
      if (fr) body.reports.push(parseFeedbackReport(fr));
    }
  }
  return {
    reports: [...body.reports, ...attached.reports],
    structuredBody: !mail && body.reports.some((r) => r.format === 'csv' || r.format === 'xarf-json'),
  };
}

/** Which format the complaint is, by its most specific structured part. */
export function complaintFormat(reports: ReportFacts[], mail: MailParts | null): string {
  if (reports.some((r) => r.format === 'arf') && (mail?.contentType === 'multipart/report' || !mail)) return 'arf';
  if (reports.some((r) => r.format === 'xarf-json')) return 'xarf-json';
  if (reports.some((r) => r.format === 'xarf-yaml')) return 'xarf-yaml';
  if (reports.some((r) => r.format === 'arf')) return 'arf';
  if (!mail && reports.some((r) => r.format === 'csv')) return 'csv';
  return mail ? 'eml' : 'text';
}

/** The reports' named fields, the first report's value winning, at most 200. */
export function reportFields(reports: ReportFacts[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.fields)) if (!(k in fields) && Object.keys(fields).length < 200) fields[k] = v;
  return fields;
}
