import type { Complaint } from '../complaint';
import type { ReportFacts } from '../facts';
import { organisationDomain, type MailParts } from '../mail';

type Reporter = Complaint['reporter'];

/**
 * Who complains: the mail's sender, or a pasted "From:" line; the
 * structured reports fill what is missing; the organisation is the
 * address's domain when nothing names it.
 */
export function findReporter(mail: MailParts | null, pastedFrom: string | undefined, reports: ReportFacts[]): Reporter {
  const reporter: Reporter = { ...(mail?.reporter ?? {}) };
  if (!mail && pastedFrom) {
    const m = /^(?:"?([^"<]*?)"?\s*)?<?([^\s<>@]+@[^\s<>]+?)>?$/.exec(pastedFrom.replace(/\s\(\)\s/g, '@').replace(/\(([^)]*)\)$/, '<$1>'));
    if (m) {
      reporter.address = m[2];
      if (m[1]) reporter.name = m[1].trim();
      reporter.organisation = organisationDomain(m[2]);
    } else reporter.name = pastedFrom;
  }
  for (const r of reports) {
    if (!r.reporter) continue;
    reporter.address ??= r.reporter.address;
    reporter.name ??= r.reporter.name;
    if (r.reporter.organisation) reporter.organisation ??= r.reporter.organisation;
  }
  reporter.organisation ??= organisationDomain(reporter.address);
  return stripEmpty(reporter);
}

function stripEmpty<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}
