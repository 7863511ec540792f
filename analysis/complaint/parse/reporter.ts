import type { Complaint } from '../complaint';
import type { ReportFacts } from '../facts';
import { organisationDomain, type MailParts } from '../mail';
import { printableLine } from '../../util/printable';

type Reporter = Complaint['reporter'];

/**
 * One plain address (local@domain). A report's reporter field is written by
 * whoever sends the complaint: "a@x, b@evil" there would add a recipient to
 * the reply and make "evil" the reporter's organisation.
 */
const ONE_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;

/**
 * Who complains: the mail's sender, or a pasted "From:" line; the
 * structured reports fill what is missing; the organisation is the
 * address's domain when nothing names it. An address that is not one
 * plain address is not taken; `warnings` says so.
 */
export function findReporter(mail: MailParts | null, pastedFrom: string | undefined, reports: ReportFacts[], warnings: string[] = []): Reporter {
  const one = (address: string | undefined): string | undefined => {
    if (address === undefined || ONE_ADDRESS.test(address)) return address;
    warnings.push(`the reporter's address "${printableLine(address).slice(0, 120)}" is not one mail address: not used`);
    return undefined;
  };
  const reporter: Reporter = { ...(mail?.reporter ?? {}) };
  reporter.address = one(reporter.address);
  if (!mail && pastedFrom) {
    const m = /^(?:"?([^"<]*?)"?\s*(?=<))?<?([^\s<>@]+@[^\s<>]+?)>?$/.exec(pastedFrom.replace(/\s\(\)\s/g, '@').replace(/\(([^)]*)\)$/, '<$1>'));
    if (m) {
      reporter.address = one(m[2]);
      if (m[1]) reporter.name = m[1].trim();
      reporter.organisation = organisationDomain(reporter.address);
    } else if (pastedFrom.includes('@')) one(pastedFrom);
    else reporter.name = pastedFrom;
  }
  for (const r of reports) {
    if (!r.reporter) continue;
    reporter.address ??= one(r.reporter.address);
    reporter.name ??= r.reporter.name;
    if (r.reporter.organisation) reporter.organisation ??= r.reporter.organisation;
  }
  reporter.organisation ??= organisationDomain(reporter.address);
  return stripEmpty(reporter);
}

function stripEmpty<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}
