import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import { groupTemplate } from '../../analysis/draft/group-reply';
import { CaseStore } from '../../store/case-store';
import type { Verdict } from '../../store/types';
import { fakeResult, tempDir } from './helpers';
import { mail, synAckLine } from './intake-helpers';

let root = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir: root, cleanup } = await tempDir('ad-group-')));
afterAll(() => cleanup());

const HOST = '198.51.100.35';

/** A complaint mail stored and analysed with `verdict`, about HOST. */
async function addCase(store: CaseStore, raw: Buffer, verdict: Verdict, activity?: 'spam' | 'port-scan'): Promise<number> {
  const parsed = await parseComplaint(new Uint8Array(raw), { fileName: 'c.eml' });
  const c = { ...parsed, accused: [HOST], ...(activity ? { activity } : {}) };
  const { case: saved } = await store.createOrFindCase({ complaintRaw: raw, complaintName: 'c.eml', complaint: c });
  await store.recordAnalysis(saved.id, fakeResult(c, verdict), 5);
  return saved.id;
}

describe('the group reply', () => {
  it('answers compromise spam reports with spam wording, greets by name or "Hello," and quotes lines only where there are some', async () => {
    const store = await CaseStore.open(join(root, 'spam'));
    try {
      const spam = (i: number, from: string, extra = '') => mail({
        messageId: `spam-${i}@rep.example`, from, subject: `Spam from ${HOST} (${i})`,
        body: `We received unsolicited bulk mail from ${HOST} on 18 Dec 2025 01:0${i}:00 UTC.${extra}\n`,
      });
      const ids = [
        await addCase(store, spam(1, 'Alpha NOC <noc@alpha.example>'), 'compromise', 'spam'),
        // Only an address: the organisation is derived from its domain, which is no name to greet.
        await addCase(store, spam(2, 'abuse@example.com'), 'compromise', 'spam'),
        await addCase(store, spam(3, '"Gamma Abuse" <abuse@gamma.example>', `\nOur firewall logged:\n${synAckLine('01:03:05', 25)}`), 'compromise', 'spam'),
      ];
      const g = (await store.groupOf(ids[0]))!;
      expect(g).toMatchObject({ verdict: 'compromise', accused: HOST, activity: 'spam', caseIds: ids });

      const template = groupTemplate(g.verdict, g.activity);
      const previews = await store.previewGroupReply(g.caseIds, template);
      expect(previews.map((p) => p.caseId)).toEqual(ids);
      for (const p of previews) {
        expect(p.body).toMatch(/spam/);
        expect(p.body).not.toMatch(/backscatter|No action is needed|forged/i);
        expect(p.body).not.toMatch(/\{\w+\}/);
        expect(p.body).not.toMatch(/no log lines were quoted|no times were given|Sir or Madam/);
        expect(p.body).toContain(HOST);
      }
      expect(previews[0].body.startsWith('Dear Alpha NOC,\n')).toBe(true);
      expect(previews[1].body.startsWith('Hello,\n')).toBe(true);
      expect(previews[1].body).not.toMatch(/Dear example\.com/);
      expect(previews[2].body.startsWith('Dear Gamma Abuse,\n')).toBe(true);
      // Quoted lines only for the case that quoted some.
      expect(previews[0].body).not.toMatch(/lines you quoted/);
      expect(previews[2].body).toContain(`The lines you quoted:\n${synAckLine('01:03:05', 25)}`);
      expect(previews[2].body).toContain('2025-12-18 01:03:05 UTC');
      expect(previews.map((p) => p.to)).toEqual(['noc@alpha.example', 'abuse@example.com', 'abuse@gamma.example']);

      // The saved drafts are the previews, word for word.
      const { drafts } = await store.replyToGroup(g.caseIds, template);
      expect(drafts.map((d) => ({ caseId: d.caseId, subject: d.subject, body: d.body })))
        .toEqual(previews.map((p) => ({ caseId: p.caseId, subject: p.subject, body: p.body })));
      expect(drafts[0].subject).toBe(`Re: Spam from ${HOST} (1)`);
    } finally {
      await store.close();
    }
  });

  it('refuses a selection that mixes verdicts or report types, saying which, and saves nothing', async () => {
    const store = await CaseStore.open(join(root, 'mixed'));
    try {
      const m = (i: number, body: string) => mail({ messageId: `m-${i}@x.example`, subject: `report ${i}`, body });
      const spamId = await addCase(store, m(1, `Spam from ${HOST}.\n`), 'compromise', 'spam');
      const bsId = await addCase(store, m(2, `Port scan from ${HOST}:\n${synAckLine('00:40:01', 4000, HOST)}\n`), 'backscatter', 'port-scan');
      const scanId = await addCase(store, m(3, `Port scan from ${HOST}, again.\n`), 'compromise', 'port-scan');
      const t = groupTemplate('compromise', 'spam');
      await expect(store.previewGroupReply([spamId, bsId], t)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/mixes verdicts \(1 compromise, 1 backscatter\)/) });
      await expect(store.replyToGroup([spamId, scanId], t)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/mixes report types \(1 spam, 1 port scan\)/) });
      for (const id of [spamId, bsId, scanId]) expect((await store.getCase(id)).drafts.filter((d) => d.origin === 'edited')).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
