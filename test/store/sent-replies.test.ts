/**
 * A reply sent from the app is kept with its case, marks the draft version
 * sent, and the complainant's answer to it (In-Reply-To our Message-ID)
 * joins that case instead of opening a new one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMessage } from '../../services/intake/message';
import { CaseStore } from '../../store/case-store';
import { prepareMessage } from '../../store/intake';
import { mail } from './intake-helpers';
import { tempDir } from './helpers';

let store: CaseStore;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  store = await CaseStore.open(t.dir);
});
afterAll(async () => {
  await store.close();
  await cleanup();
});

const ourNets = ['198.51.100.0/24'];
async function intake(raw: Buffer, name: string) {
  return store.intakeMessage(await prepareMessage(describeMessage(raw, { kind: 'eml', path: `/in/${name}`, filename: name }), { ourNets }));
}

describe('sent replies', () => {
  it('are kept with the case, and the complainant answering one joins the case', async () => {
    const first = await intake(mail({ messageId: 'c1@reporter.example', subject: 'scan from 198.51.100.7', body: 'Your host 198.51.100.7 scanned 203.0.113.9 on 2025-12-18 01:00 UTC.' }), 'c1.eml');
    expect(first.action).toBe('created');
    const draft = await store.saveDraft(first.caseId, { subject: 'Re: scan from 198.51.100.7', body: 'We are looking into it.', origin: 'edited' });
    const raw = Buffer.from('Message-ID: <AbC123@Desk.Example>\r\nSubject: Re: scan\r\n\r\nWe are looking into it.\r\n');
    const sent = await store.recordSentReply({ caseId: first.caseId, draftId: draft.id, messageId: '<AbC123@Desk.Example>', recipients: ['noc@example.org'], raw });
    expect(sent).toMatchObject({ caseId: first.caseId, draftId: draft.id, messageId: 'AbC123@desk.example', recipients: ['noc@example.org'], size: raw.length });
    expect(Buffer.from(await store.sentReplyRaw(sent.id)).equals(raw)).toBe(true);
    const detail = await store.getCase(first.caseId);
    expect(detail.status).toBe('replied');
    expect(detail.drafts.find((d) => d.id === draft.id)?.sentAt).toBe(sent.sentAt);
    expect(detail.audit.some((a) => a.action === 'reply_sent' && a.detail.includes('noc@example.org'))).toBe(true);

    // Their answer quotes only our Message-ID (a client that drops the older References).
    const answer = await intake(mail({ messageId: 'c2@reporter.example', inReplyTo: 'AbC123@desk.example', subject: 'Re: Re: scan', body: 'Thanks, the scanning stopped at 198.51.100.7.' }), 'c2.eml');
    expect(answer).toMatchObject({ caseId: first.caseId, action: 'joined-thread' });
    // A message about another host with no threading opens its own case.
    const other = await intake(mail({ messageId: 'c3@reporter.example', subject: 'spam from 198.51.100.8', body: 'Spam from 198.51.100.8 at 2025-12-19 02:00 UTC.' }), 'c3.eml');
    expect(other.caseId).not.toBe(first.caseId);
    expect(await store.sentRepliesOf(first.caseId)).toHaveLength(1);
  });

  it('refuses a draft of another case', async () => {
    const a = await intake(mail({ messageId: 'd1@reporter.example', subject: 'scan from 198.51.100.20', body: 'Your host 198.51.100.20 scanned us.' }), 'd1.eml');
    const b = await intake(mail({ messageId: 'd2@reporter.example', subject: 'scan from 198.51.100.21', body: 'Your host 198.51.100.21 scanned us.' }), 'd2.eml');
    const draft = await store.saveDraft(a.caseId, { subject: 's', body: 'b', origin: 'edited' });
    await expect(store.recordSentReply({ caseId: b.caseId, draftId: draft.id, messageId: '<x@y.example>', recipients: [], raw: Buffer.from('x') })).rejects.toThrow(/has no draft/);
  });
});
