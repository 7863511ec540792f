import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMessages } from '../../services/intake/files';
import { CaseStore } from '../../store/case-store';
import { importMessages } from '../../store/intake';
import { abuseioSamples, mail, synAckLine, toMbox, writeMaildir } from './intake-helpers';
import { tempDir } from './helpers';

const ourNets = ['198.51.100.0/24', '10.0.0.0/8', '172.16.0.0/12'];

let root = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir: root, cleanup } = await tempDir('ad-intake-')));
afterAll(() => cleanup());

let n = 0;
const freshStore = (): Promise<CaseStore> => CaseStore.open(join(root, `data-${++n}`));

/** What identifies a case across stores: its complaint name-independent content. */
async function caseKeys(store: CaseStore): Promise<string[]> {
  const page = await store.listCases({ limit: 1000 });
  return Promise.all(page.items.map(async (c) => `${(await store.getCase(c.id)).fingerprint} ${c.accused.join(',')} ${(await store.messagesOf(c.id)).length}`))
    .then((keys) => keys.sort());
}

describe('intake into the case store', () => {
  const samples = abuseioSamples().slice(0, 12);

  it('gives the same cases from an mbox and from a Maildir of the same messages, and re-imports nothing', async () => {
    const mbox = join(root, 'samples.mbox');
    writeFileSync(mbox, toMbox(samples.map((s) => s.raw)));
    const maildir = writeMaildir(join(root, 'Maildir'), samples.map((s) => s.raw));

    const a = await freshStore();
    const b = await freshStore();
    try {
      const fromMbox = await importMessages(a, readMessages([mbox]), { ourNets });
      const fromMaildir = await importMessages(b, readMessages([maildir]), { ourNets });
      expect(fromMbox.messages).toBe(samples.length);
      expect(fromMbox.counts.created).toBeGreaterThan(0);
      expect(fromMaildir.counts).toEqual(fromMbox.counts);
      expect(await caseKeys(b)).toEqual(await caseKeys(a));

      // Twice, and across formats: the same messages add nothing.
      const again = await importMessages(a, readMessages([mbox]), { ourNets });
      expect(again.counts['already-imported']).toBe(samples.length);
      const cross = await importMessages(a, readMessages([maildir]), { ourNets });
      expect(cross.counts['already-imported']).toBe(samples.length);
      expect((await a.listCases({ limit: 1000 })).items).toHaveLength(fromMbox.counts.created);
      // Every case carries its first look, so the queue ranks it without evidence.
      const q = await a.queue({ limit: 1000 });
      expect(q.items).toHaveLength(fromMbox.counts.created);
      expect(q.items.every((i) => i.provisionalVerdict !== null && i.rankReason.length > 0)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('makes one case of a thread of three messages, and joins a re-sent complaint to its case', async () => {
    const store = await freshStore();
    try {
      const first = mail({ messageId: 'report-1@example.org', subject: 'portscan from 198.51.100.80', body: `Scan from 198.51.100.80.\n${synAckLine('00:40:01', 4000)}\n` });
      const second = mail({ messageId: 'report-2@example.org', inReplyTo: 'report-1@example.org', references: ['report-1@example.org'], subject: 'Re: portscan from 198.51.100.80', body: 'Any news? It goes on.\n' });
      // The third lost its In-Reply-To but keeps the thread root in References.
      const third = mail({ messageId: 'report-3@example.org', references: ['report-1@example.org', 'report-2@example.org'], subject: 'Re: Re: portscan', body: 'Third reminder.\n' });
      const resent = mail({ messageId: 'report-1-resent@example.org', subject: 'portscan from 198.51.100.80', body: `Scan from 198.51.100.80.\n${synAckLine('00:40:01', 4000)}\n` });
      const msgs = [first, second, third, resent].map((raw, i) => ({ raw, source: { kind: 'eml' as const, path: `/in/${i}.eml`, filename: `${i}.eml` }, warnings: [] as string[] }));
      const { describeMessage } = await import('../../services/intake/message');
      const described = msgs.map((m) => describeMessage(m.raw, m.source));
      const s = await importMessages(store, described, { ourNets });
      expect(s.counts).toEqual({ created: 1, 'joined-thread': 2, 'joined-duplicate': 1, 'already-imported': 0 });
      expect(s.caseIds).toEqual([1]);
      const messages = await store.messagesOf(1);
      expect(messages.map((m) => [m.messageId, m.action, m.threadKey])).toEqual([
        ['report-1@example.org', 'created', 'report-1@example.org'],
        ['report-2@example.org', 'joined-thread', 'report-1@example.org'],
        ['report-3@example.org', 'joined-thread', 'report-1@example.org'],
        ['report-1-resent@example.org', 'joined-duplicate', 'report-1-resent@example.org'],
      ]);
      expect(messages.every((m) => /^[0-9a-f]{64}$/.test(m.rawSha256))).toBe(true);
      expect(Buffer.from(await store.messageRaw(messages[1].id)).toString('utf8')).toContain('Any news?');
      const audit = (await store.getCase(1)).audit.map((a) => a.action);
      expect(audit.filter((a) => a === 'message_added')).toHaveLength(2);
      expect(audit).toContain('duplicate_submitted');
    } finally {
      await store.close();
    }
  });

  it('keeps a malformed message as raw text with a warning, never dropping it', async () => {
    const store = await freshStore();
    const dir = join(root, 'malformed');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-junk.eml'), Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x0a, 0x42, 0x43]));
    writeFileSync(join(dir, 'b-empty.eml'), '');
    writeFileSync(join(dir, 'c-good.eml'), mail({ messageId: 'good@example.org', body: 'Scan from 198.51.100.80.\n' }));
    try {
      const s = await importMessages(store, readMessages([dir]), { ourNets });
      expect(s.messages).toBe(3);
      expect(s.counts.created).toBe(3);
      expect(s.warnings.map((w) => w.source)).toEqual(['a-junk.eml', 'b-empty.eml']);
      expect(s.warnings[0].warnings.join(' ')).toMatch(/header/);
      expect(s.warnings[1].warnings.join(' ')).toMatch(/empty message/);
      const junk = await store.getCase(s.warnings[0].caseId);
      expect(junk.complaintRaw).toContain('BC');
      expect(junk.audit.some((a) => a.action === 'message_warning' && /kept as received/.test(a.detail))).toBe(true);
      expect((await store.messagesOf(junk.id))[0].warnings.length).toBeGreaterThan(0);
      // Importing them again adds nothing, the empty one included.
      expect((await importMessages(store, readMessages([dir]), { ourNets })).counts['already-imported']).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('stores attachments as evidence in the vault, verifiable like any evidence', async () => {
    const store = await freshStore();
    const log = Buffer.from(`${synAckLine('00:40:01', 4000)}\n${synAckLine('00:40:02', 4001)}\n`);
    const raw = Buffer.from([
      'From: NOC <noc@example.org>', 'To: abuse@example.com', 'Subject: scan from 198.51.100.80', 'Date: Thu, 18 Dec 2025 01:00:00 +0000',
      'Message-ID: <att-1@example.org>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="XYZ"', '',
      '--XYZ', 'Content-Type: text/plain; charset=utf-8', '', 'Our firewall log is attached: 198.51.100.80 scanned us.', '',
      '--XYZ', 'Content-Type: application/octet-stream; name="fw.log"', 'Content-Disposition: attachment; filename="fw.log"', 'Content-Transfer-Encoding: base64', '',
      log.toString('base64'), '--XYZ--', '',
    ].join('\r\n'));
    try {
      const { describeMessage } = await import('../../services/intake/message');
      const out = await store.intakeMessage(await (await import('../../store/intake')).prepareMessage(describeMessage(raw, { kind: 'eml', path: '/in/att.eml', filename: 'att.eml' }), { ourNets }));
      expect(out).toMatchObject({ action: 'created', evidenceAdded: 1 });
      const c = await store.getCase(out.caseId, { verifyEvidence: true });
      expect(c.evidence.map((e) => [e.originalName, e.size, e.custody])).toEqual([['fw.log', log.length, 'verified']]);
      const { createHash } = await import('node:crypto');
      expect(c.evidence[0].sha256).toBe(createHash('sha256').update(log).digest('hex'));
    } finally {
      await store.close();
    }
  });
});
