import type { MessageBudget, MessageLimits } from '../../limits';
import { emptyGathered, gatherAttachments, type Gathered } from '../attachments';
import type { ComplaintAttachment } from '../complaint';
import type { ReportFacts } from '../facts';
import type { MailParts } from '../mail';

/** What the mail's attachments hold (reports, quoted lines, text), read within the message budget. */
export async function readAttachments(mail: MailParts | null, budget: MessageBudget): Promise<Gathered> {
  const g = emptyGathered();
  if (mail) await gatherAttachments(mail.attachments, g, budget);
  return g;
}

/** The attachments handed on as evidence: the mail's and those inside its reports, up to the message's attachment limit. */
export function evidenceAttachments(mail: MailParts | null, reports: ReportFacts[], limits: MessageLimits): { attachments: ComplaintAttachment[]; warnings: string[] } {
  const attachments = [...(mail?.attachments ?? []), ...reports.flatMap((r) => r.attachments)];
  if (attachments.length <= limits.attachments) return { attachments, warnings: [] };
  return {
    attachments: attachments.slice(0, limits.attachments),
    warnings: [`the complaint has ${attachments.length} attachments: only the first ${limits.attachments} are read as evidence (attachment limit ${limits.attachments})`],
  };
}
