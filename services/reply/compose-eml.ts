/**
 * The reply as an RFC 5322 message, built by nodemailer's MIME composer (the
 * same bytes go to a file, to the system mail client and over SMTP): From the
 * desk's address, one validated recipient unless the operator typed more,
 * Date, Message-ID, In-Reply-To and References from the complaint, the text
 * wrapped at 72 with the complaint quoted below. Nothing is dot-stuffed: that
 * is the SMTP client's job on the wire, not a file's.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { replyMail, type ReplyMailInput } from '../../analysis/draft/reply-mail';
import { operatorRecipients, singleMailbox, type Mailbox } from './addresses';

export interface ComposeReplyInput extends ReplyMailInput {
  /** Recipients the operator typed; when absent, the complaint's reporter. */
  to?: string;
  /** The desk's own address (settings), for From. */
  from?: string;
  /** Mark the file as a draft for mail clients (X-Unsent: 1); off when sending. */
  unsent?: boolean;
  now?: Date;
}

export interface ComposedReply {
  /** The whole message, CRLF line ends. */
  raw: Buffer;
  messageId: string;
  subject: string;
  to: Mailbox[];
  from: Mailbox | null;
  /** What the operator should know: a recipient dropped, no From set. */
  warnings: string[];
}

function domainOf(m: Mailbox | null): string {
  return m ? m.address.slice(m.address.lastIndexOf('@') + 1) : 'abuse-desk.invalid';
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function recipientsFor(input: Pick<ComposeReplyInput, 'to' | 'complaint'>): { to: Mailbox[]; warnings: string[] } {
  const warnings: string[] = [];
  if (input.to?.trim()) {
    const typed = operatorRecipients(input.to);
    if (typed.ok) return { to: typed.mailboxes, warnings };
    warnings.push(`"${typed.rejected.slice(0, 80)}" is not a mail address; the reply has no recipient`);
    return { to: [], warnings };
  }
  const reporter = input.complaint?.reporter;
  const field = reporter?.address ? (reporter.name ? `"${reporter.name.replace(/["\\]/g, '')}" <${reporter.address}>` : reporter.address) : undefined;
  const one = singleMailbox(field) ?? singleMailbox(reporter?.address);
  if (one) return { to: [one], warnings };
  if (reporter?.address) warnings.push('the reporter\'s address is not one plain mail address; the reply has no recipient');
  return { to: [], warnings };
}

export async function composeReply(input: ComposeReplyInput): Promise<ComposedReply> {
  const mail = replyMail(input);
  const { to, warnings } = recipientsFor(input);
  const from = input.from ? singleMailbox(input.from) : null;
  if (input.from && !from) warnings.push('the desk address in Settings is not a mail address; the reply has no From');
  if (!input.from) warnings.push('no desk address is set in Settings; the reply has no From');
  const messageId = `<${randomId()}@${domainOf(from)}>`;
  const composer = new MailComposer({
    ...(from ? { from } : {}),
    ...(to.length ? { to } : {}),
    subject: mail.subject,
    // CRLF throughout: the composer leaves bare LFs in a quoted-printable body as they are.
    text: mail.text.replace(/\n/g, '\r\n'),
    date: input.now ?? new Date(),
    messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.references } : {}),
    headers: input.unsent ? { 'X-Unsent': '1' } : {},
  });
  const raw = await composer.compile().build();
  return { raw, messageId, subject: mail.subject, to, from, warnings };
}
