/**
 * Sending a composed reply over SMTP with nodemailer: the message bytes are
 * the ones the operator saw (composeReply), the envelope is its validated
 * recipients. TLS is required unless the settings say otherwise for this
 * server (the same rule as IMAP: a password never crosses the wire in
 * clear), and every step has a timeout so a silent server cannot hang the
 * desk.
 */
import { createTransport } from 'nodemailer';
import type { ComposedReply } from './compose-eml';

export interface SmtpSettings {
  host: string;
  port: number;
  /** 'tls': TLS from the first byte (465); 'starttls': upgrade required (587); 'plain': no TLS, only when the operator allowed it. */
  security: 'tls' | 'starttls' | 'plain';
  user?: string;
  /** Accept a self-signed certificate (a local relay); off by default. */
  allowSelfSigned?: boolean;
  timeoutMs?: number;
}

export interface SentReply {
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
}

export class SendError extends Error {
  constructor(message: string, readonly code: 'no_recipient' | 'no_sender' | 'refused' | 'failed') {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;

export async function sendReply(reply: ComposedReply, smtp: SmtpSettings, password?: string): Promise<SentReply> {
  if (!reply.to.length) throw new SendError('the reply has no recipient', 'no_recipient');
  if (!reply.from) throw new SendError('the reply has no From address: set the desk address in Settings', 'no_sender');
  const timeout = smtp.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'plain',
    ...(smtp.user ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    tls: { rejectUnauthorized: !smtp.allowSelfSigned },
  });
  try {
    const info = await transport.sendMail({
      envelope: { from: reply.from.address, to: reply.to.map((m) => m.address) },
      raw: reply.raw,
    });
    const accepted = info.accepted.map(String);
    const rejected = info.rejected.map(String);
    if (!accepted.length) throw new SendError(`${smtp.host}:${smtp.port} accepted no recipient (${info.response})`, 'refused');
    return { messageId: reply.messageId, accepted, rejected, response: info.response };
  } catch (err) {
    if (err instanceof SendError) throw err;
    const e = err as { code?: string; responseCode?: number; message?: string };
    const what = e.responseCode ? `${e.responseCode} ${e.message}` : (e.code ?? e.message ?? String(err));
    throw new SendError(`sending through ${smtp.host}:${smtp.port} failed: ${what}`, e.responseCode ? 'refused' : 'failed');
  } finally {
    transport.close();
  }
}
