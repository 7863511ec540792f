/**
 * The reply as a mail: the desk's sender settings, composing the message the
 * operator saves or downloads, and sending it by SMTP after an explicit
 * confirmation. Collected into the contract's `channels` table.
 */
import { z } from 'zod';
import { channel } from './channel';

const hostName = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, { message: 'not a host name or address' });
const oneLine = (max: number) => z.string().max(max).regex(/^[^\u0000-\u001f\u007f]*$/, { message: 'control characters' });
const draftText = {
  subject: z.string().max(998),
  body: z.string().max(2 * 1024 * 1024),
  /** Recipients the operator typed; absent: the complaint's reporter. */
  to: oneLine(998).optional(),
  /** The case it answers: threading headers, case tag and the quoted complaint come from it. */
  caseId: z.number().int().positive().optional(),
};

export const SMTP_SECURITY = ['tls', 'starttls', 'plain'] as const;

export interface SmtpView {
  host: string;
  port: number;
  security: (typeof SMTP_SECURITY)[number];
  user: string;
  allowSelfSigned: boolean;
  hasPassword: boolean;
}

/** How replies go out: the desk's address and signature, and the SMTP relay (null: no sending from the app). */
export interface ReplySettings {
  fromAddress: string;
  signature: string;
  smtp: SmtpView | null;
}

export const DEFAULT_REPLY_SETTINGS: ReplySettings = { fromAddress: '', signature: '', smtp: null };

export interface ComposedReplyView {
  fileName: string;
  mime: string;
  /** The whole file (an .eml is ASCII: headers encoded, body quoted-printable). */
  content: string;
  subject: string;
  /** Who it goes to, as "name <address>" or the address. */
  to: string[];
  /** A recipient dropped, no From set: shown before the operator sends. */
  warnings: string[];
}

export interface SentReplyView {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's last answer ("250 2.0.0 Ok: queued as ..."). */
  response: string;
  sentAt: number;
}

export const replyChannels = {
  'reply:getSettings': channel(z.strictObject({})).returns<ReplySettings>(),

  /** `smtpPassword` replaces the stored one (absent: keep it); `smtp: null` stops sending from the app. */
  'reply:setSettings': channel(z.strictObject({
    fromAddress: oneLine(320),
    signature: z.string().max(2000),
    smtp: z.strictObject({
      host: hostName,
      port: z.number().int().min(1).max(65535),
      security: z.enum(SMTP_SECURITY),
      user: oneLine(320),
      allowSelfSigned: z.boolean(),
    }).nullable(),
    smtpPassword: z.string().min(1).max(1024).optional(),
    clearSmtpPassword: z.boolean().optional(),
  })).returns<ReplySettings>(),

  /** The reply as the file it would be saved as (.eml: a full message; .txt: subject and text). */
  'reply:compose': channel(z.strictObject({ ...draftText, format: z.enum(['eml', 'txt']) })).returns<ComposedReplyView>(),

  /**
   * Send the reply by SMTP. `confirmed` is the operator's explicit yes to the
   * recipients shown; the draft version is marked sent and the case replied.
   */
  'reply:send': channel(z.strictObject({
    ...draftText,
    caseId: z.number().int().positive(),
    draftId: z.number().int().positive(),
    confirmed: z.literal(true),
  })).returns<SentReplyView>(),
} as const;
