/**
 * Replies as mail, behind the reply channels (Electron main and `serve`):
 * the message is composed from the operator's text and the stored case (the
 * complaint's Message-ID, subject, reporter and text), saved or downloaded
 * as the same bytes, or sent by SMTP only after the operator confirmed the
 * recipients; a sent reply marks its draft version sent.
 */
import type { ComposedReplyView, ReplySettings, SentReplyView } from '../electron/common/reply-channels';
import { CodedError } from '../electron/common/result';
import { draftFileName } from '../electron/common/draft-file';
import type { CaseStore } from '../store/case-store';
import type { StoredComplaint } from '../store/types';
import { composeReply, type ComposedReply } from '../services/reply/compose-eml';
import { replyMail } from '../analysis/draft/reply-mail';
import { sendReply, SendError, type SentReply } from '../services/reply/send-smtp';
import type { SecretBox } from './secrets';
import type { ReplySettingsStore, StoredReplySettings } from './reply-settings-store';

export interface ReplyDraftRequest {
  subject: string;
  body: string;
  to?: string;
  caseId?: number;
}

export interface ReplyServiceDeps {
  settings: ReplySettingsStore;
  smtpPassword: SecretBox;
  /** The case store, when this host has one. */
  store?: () => Promise<CaseStore>;
  now?: () => Date;
}

function mailboxText(m: { name: string; address: string }): string {
  return m.name ? `${m.name} <${m.address}>` : m.address;
}

export class ReplyService {
  constructor(private readonly deps: ReplyServiceDeps) {}

  settings(): ReplySettings {
    const s = this.deps.settings.get();
    return { fromAddress: s.fromAddress, signature: s.signature, smtp: s.smtp ? { ...s.smtp, hasPassword: this.deps.smtpPassword.has() } : null };
  }

  setSettings(req: StoredReplySettings & { smtpPassword?: string; clearSmtpPassword?: boolean }): ReplySettings {
    const { smtpPassword, clearSmtpPassword, ...rest } = req;
    this.deps.settings.set(rest);
    if (smtpPassword !== undefined) this.deps.smtpPassword.save(smtpPassword);
    else if (clearSmtpPassword) this.deps.smtpPassword.clear();
    return this.settings();
  }

  private async complaintOf(caseId: number | undefined): Promise<StoredComplaint | undefined> {
    if (caseId === undefined || !this.deps.store) return undefined;
    const store = await this.deps.store();
    return (await store.getCase(caseId)).complaint;
  }

  private async compose(req: ReplyDraftRequest, unsent: boolean): Promise<ComposedReply> {
    const s = this.deps.settings.get();
    return composeReply({
      subject: req.subject, body: req.body, to: req.to, caseId: req.caseId,
      complaint: await this.complaintOf(req.caseId),
      from: s.fromAddress || undefined,
      signature: s.signature || undefined,
      unsent,
      now: this.deps.now?.(),
    });
  }

  /** The file the operator saves: an unsent .eml a mail client opens as a draft, or the text. */
  async composeFile(req: ReplyDraftRequest & { format: 'eml' | 'txt' }): Promise<ComposedReplyView> {
    if (req.format === 'txt') {
      const s = this.deps.settings.get();
      const mail = replyMail({ ...req, complaint: await this.complaintOf(req.caseId), signature: s.signature || undefined });
      return { fileName: draftFileName(mail.subject, 'txt'), mime: 'text/plain;charset=utf-8', content: `Subject: ${mail.subject}\n\n${mail.text}\n`, subject: mail.subject, to: [], warnings: [] };
    }
    const r = await this.compose(req, true);
    return { fileName: draftFileName(r.subject, 'eml'), mime: 'message/rfc822', content: r.raw.toString('latin1'), subject: r.subject, to: r.to.map(mailboxText), warnings: r.warnings };
  }

  /**
   * Send the reply by SMTP. The case's reply is reserved in the store first
   * (store/reply-guard.ts): when a colleague already replied or is sending,
   * nothing goes out and the 'conflict' says who and when.
   */
  async send(req: ReplyDraftRequest & { caseId: number; draftId: number }): Promise<SentReplyView> {
    const s = this.deps.settings.get();
    if (!s.smtp) throw new CodedError('bad_request', 'no SMTP server is set in Settings: save the reply as .eml and send it from your mail client');
    if (!this.deps.store) throw new CodedError('store_unavailable', 'the case history is not available in this host');
    const password = s.smtp.user ? this.deps.smtpPassword.load() : null;
    if (s.smtp.user && password === null) throw new CodedError('not_found', 'no SMTP password is stored: set it in Settings');
    const store = await this.deps.store();
    const reservation = await store.desk.beginReply(req.caseId, req.draftId);
    let composed: ComposedReply;
    let sent: SentReply;
    try {
      composed = await this.compose(req, false);
      sent = await sendReply(composed, s.smtp, password ?? undefined);
    } catch (e) {
      await store.desk.abandonReply(reservation).catch(() => undefined); // it lapses by itself otherwise
      if (e instanceof SendError) throw new CodedError(e.code === 'no_recipient' || e.code === 'no_sender' ? 'bad_request' : 'mail_error', e.message);
      throw e;
    }
    const kept = await store.recordSentReply({ caseId: req.caseId, draftId: req.draftId, messageId: sent.messageId, recipients: sent.accepted, raw: composed.raw, reservation });
    return { ...sent, sentAt: kept.sentAt };
  }
}
