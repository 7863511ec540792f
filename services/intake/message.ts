import { messageIds } from '../../analysis/triage/normalise';
import type { WholeMessage } from './spool';

/** Where a message came from, precise enough to find it again. */
export type MessageSource =
  | { kind: 'mbox'; path: string; index: number }
  | { kind: 'maildir'; path: string; filename: string }
  | { kind: 'eml'; path: string; filename: string }
  | { kind: 'imap'; mailbox: string; uid: number };

/** One message as received: the raw bytes (never altered beyond mbox un-escaping) and its threading headers. */
export interface IntakeMessage {
  raw: Uint8Array;
  source: MessageSource;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Why the message looks malformed; it is yielded anyway, never dropped. */
  warnings: string[];
  /** Set when `raw` holds only the message's first bytes (it was over the reader's bound): where the whole is. */
  whole?: WholeMessage;
}

const latin1 = new TextDecoder('latin1');
/** Header blocks past this are not a header block. */
const MAX_HEADER = 256 * 1024;

/** Read the threading headers and note what is malformed. */
export function describeMessage(raw: Uint8Array, source: MessageSource): IntakeMessage {
  const warnings: string[] = [];
  const head = latin1.decode(raw.subarray(0, Math.min(raw.length, MAX_HEADER)));
  const m = /\r?\n\r?\n/.exec(head);
  if (raw.length === 0) warnings.push('empty message');
  else if (!m) warnings.push('no blank line after the header: truncated or not a mail message');
  const block = (m ? head.slice(0, m.index) : head).replace(/\r?\n[ \t]+/g, ' ');
  const fields = new Map<string, string>();
  let lines = 0;
  let bad = 0;
  for (const line of block.split(/\r?\n/)) {
    if (!line) continue;
    lines++;
    const f = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line);
    if (!f) { bad++; continue; }
    const k = f[1].toLowerCase();
    if (!fields.has(k)) fields.set(k, f[2].trim());
  }
  if (raw.length > 0 && (fields.size === 0 || bad > lines / 2)) warnings.push('no RFC 5322 header fields at the start');
  if (fields.size > 0 && !fields.has('from') && !fields.has('date') && !fields.has('message-id')) warnings.push('no From:, Date: or Message-ID: header');
  const messageId = messageIds(fields.get('message-id'))[0];
  const inReplyTo = messageIds(fields.get('in-reply-to'))[0];
  const references = messageIds(fields.get('references'));
  return { raw, source, messageId, inReplyTo, references: references.length ? references : undefined, warnings };
}
