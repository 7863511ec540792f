/**
 * Recipient addresses for a reply, validated before they reach a header.
 * The reporter's address comes from the complaint, which anyone can write:
 * an X-ARF `ReporterOrgEmail` of "a@x, b@evil" must not add a recipient, and
 * a display name must never carry an address of its own into the header.
 * nodemailer's address parser reads the field; we accept what it finds only
 * when it is one plain mailbox each.
 */
import addressparser from 'nodemailer/lib/addressparser';

export interface Mailbox {
  name: string;
  address: string;
}

/** local@domain: printable ASCII without spaces, quotes, angle brackets or commas; a dotted domain. */
const ADDR_SPEC = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isMailAddress(address: string): boolean {
  return ADDR_SPEC.test(address) && !address.startsWith('.') && !address.includes('..');
}

/** A display name kept only when it is one line of printable text with no address in it. */
function cleanName(name: string): string {
  const oneLine = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  return /[<>@,;]/.test(oneLine) ? '' : oneLine.slice(0, 120);
}

/**
 * Exactly one mailbox from a field, or null: a list, a group, or anything the
 * parser could not read as a plain address gives null (the operator is asked).
 */
export function singleMailbox(field: string | undefined): Mailbox | null {
  if (!field || field.length > 998 || /[\r\n]/.test(field)) return null;
  const parsed = addressparser(field);
  if (parsed.length !== 1) return null;
  const only = parsed[0];
  if ('group' in only) return null;
  const address = only.address.trim();
  if (!isMailAddress(address)) return null;
  return { name: cleanName(only.name ?? ''), address };
}

/**
 * Recipients the operator typed: each must be a plain mailbox. Returns the
 * mailboxes, or the first entry that is not one (so the message can name it).
 */
export function operatorRecipients(field: string): { ok: true; mailboxes: Mailbox[] } | { ok: false; rejected: string } {
  if (/[\r\n]/.test(field)) return { ok: false, rejected: field.split(/[\r\n]/)[0] };
  const parsed = addressparser(field);
  const mailboxes: Mailbox[] = [];
  for (const entry of parsed) {
    if ('group' in entry) return { ok: false, rejected: entry.name };
    const address = entry.address.trim();
    if (!isMailAddress(address)) return { ok: false, rejected: entry.address || entry.name };
    mailboxes.push({ name: cleanName(entry.name ?? ''), address });
  }
  if (!mailboxes.length) return { ok: false, rejected: field };
  return { ok: true, mailboxes };
}
