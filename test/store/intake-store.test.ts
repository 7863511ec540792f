import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import { firstLook } from '../../analysis/triage/first-look';
import { describeMessage } from '../../services/intake/message';
import type { IntakeMessageInput } from '../../store/intake-types';
import { corpusDir } from '../helpers/paths';
import { useTempStore } from './store-fixture';

const ourNets = ['10.0.0.0/8'];
const eml = (name: string) => new Uint8Array(readFileSync(join(corpusDir, 'complaints', 'abuseio', name)));

async function input(raw: Uint8Array, filename: string, over: Partial<IntakeMessageInput> = {}): Promise<IntakeMessageInput> {
  const m = describeMessage(raw, { kind: 'eml', path: `/in/${filename}`, filename });
  const complaint = await parseComplaint(raw, { fileName: filename, ourNets });
  return { raw, source: m.source, messageId: m.messageId, inReplyTo: m.inReplyTo, references: m.references, warnings: m.warnings, complaint, firstLook: null, ...over };
}

describe('messages taken into the store', () => {
  const t = useTempStore();

  it('a blocklist.de report (AbuseIO corpus) opens a case whose message is kept byte for byte; the same message again changes nothing', async () => {
    const raw = eml('blocklistde__Blocklistde_Example_1.eml');
    const [first] = await t.store.intakeBatch([await input(raw, 'b1.eml')]);
    expect(first).toMatchObject({ action: 'created', evidenceAdded: 0 });
    const [again] = await t.store.intakeBatch([await input(raw, 'b1-again.eml')]);
    expect(again).toMatchObject({ action: 'already-imported', caseId: first.caseId, messageRowId: first.messageRowId });
    const msgs = await t.store.messagesOf(first.caseId);
    expect(msgs.map((m) => [m.messageId, m.sourceName])).toEqual([['20140131062531.72BBA43A49B3F@reporting2.blocklist.de', 'b1.eml']]);
    expect(Buffer.from(await t.store.messageRaw(first.messageRowId)).equals(Buffer.from(raw))).toBe(true);
  });

  it('a reply naming a stored Message-ID joins that case\'s thread', async () => {
    const raw = eml('blocklistde__Blocklistde_Example_1.eml');
    const [first] = await t.store.intakeBatch([await input(raw, 'b1.eml')]);
    const reply = new TextEncoder().encode('From: abuse-team@blocklist.de\r\nMessage-ID: <r1@blocklist.de>\r\nIn-Reply-To: <20140131062531.72BBA43A49B3F@reporting2.blocklist.de>\r\nSubject: Re: abuse report\r\n\r\nAny news?\r\n');
    const [joined] = await t.store.intakeBatch([await input(reply, 'reply.eml')]);
    expect(joined).toMatchObject({ action: 'joined-thread', caseId: first.caseId });
    expect((await t.store.messagesOf(first.caseId)).map((m) => m.messageId)).toEqual(['20140131062531.72BBA43A49B3F@reporting2.blocklist.de', 'r1@blocklist.de']);
  });

  it('keeps the IMAP cursor per account and folder, and the first look with its case', async () => {
    expect(await t.store.getImapCursor('abuse@mail.example', 'INBOX')).toBeNull();
    await t.store.saveImapCursor('abuse@mail.example', 'INBOX', { uidValidity: '17', lastUid: 40 });
    await t.store.saveImapCursor('abuse@mail.example', 'INBOX', { uidValidity: '17', lastUid: 42 });
    expect(await t.store.getImapCursor('abuse@mail.example', 'INBOX')).toMatchObject({ uidValidity: '17', lastUid: 42 });
    expect(await t.store.getImapCursor('abuse@mail.example', 'Junk')).toBeNull();
    const i = await input(eml('blocklistde__Blocklistde_Example_1.eml'), 'b1.eml');
    const [o] = await t.store.intakeBatch([i]);
    expect(await t.store.firstLookOf(o.caseId)).toBeNull();
    const look = firstLook(i.complaint!, { ourNets });
    await t.store.recordFirstLook(o.caseId, look);
    expect(await t.store.firstLookOf(o.caseId)).toEqual(JSON.parse(JSON.stringify(look)));
  });
});
