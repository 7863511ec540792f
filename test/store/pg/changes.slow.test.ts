/**
 * The live desk on PostgreSQL: an app watching the shared store hears a
 * colleague's new case, claim, reply and close within a second of each
 * commit, with who did it; a refused change announces nothing; a SQLite
 * store has nothing to hear and says so by hearing nothing.
 */
import { describe, expect, it } from 'vitest';
import type { StoreChange } from '../../../store/case-store';
import { pgTitle, postgresSkip } from '../../helpers/postgres';
import { useBackends } from '../behaviour/backends';
import { corpusComplaints } from '../behaviour/scenario';

/** Resolves with the next change matching, or rejects after `ms`. */
function nextChange(heard: StoreChange[], match: (c: StoreChange) => boolean, ms: number): Promise<StoreChange> {
  const t0 = Date.now();
  return new Promise((done, fail) => {
    const poll = (): void => {
      const c = heard.find(match);
      if (c) done(c);
      else if (Date.now() - t0 > ms) fail(new Error(`no change heard within ${ms} ms (heard: ${heard.map((h) => h.action).join(', ')})`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe.skipIf(!!postgresSkip)(pgTitle('live changes'), () => {
  const b = useBackends();

  it('postgres: a colleague watching hears the new case, claim, reply and close within a second, with the operator', async () => {
    const [mail] = await corpusComplaints(1);
    const location = await b.location('postgres');
    const alice = await b.open(location, { operator: 'alice' });
    const bob = await b.open(location, { operator: 'bob' });
    const heard: StoreChange[] = [];
    const stop = await bob.watchChanges((c) => heard.push(c));
    try {
      const { case: c } = await alice.createOrFindCase({ complaintRaw: mail.raw, complaintName: mail.name, complaint: mail.complaint });
      expect(await nextChange(heard, (h) => h.action === 'created', 1000)).toMatchObject({ caseId: c.id, operator: 'alice' });
      await alice.claim(c.id);
      await nextChange(heard, (h) => h.action === 'claimed', 1000);
      const draft = await alice.saveDraft(c.id, { subject: 'Re: report', body: 'Answered.', origin: 'edited' });
      await alice.recordSentReply({ caseId: c.id, draftId: draft.id, messageId: '<reply-1@desk.example>', recipients: ['abuse@example.net'], raw: new TextEncoder().encode('Subject: Re: report\r\n\r\nAnswered.\r\n') });
      expect(await nextChange(heard, (h) => h.action === 'reply_sent', 1000)).toMatchObject({ caseId: c.id, operator: 'alice' });
      const v = (await alice.getCase(c.id)).version!;
      // A refused change (a stale version) commits nothing and announces nothing.
      const before = heard.length;
      await expect(bob.setStatus(c.id, 'closed', { expectedVersion: v - 1 })).rejects.toMatchObject({ code: 'conflict' });
      await alice.setStatus(c.id, 'closed', { expectedVersion: v });
      const closed = await nextChange(heard, (h) => h.action === 'status_changed' && heard.indexOf(h) >= before, 1000);
      expect(closed).toMatchObject({ caseId: c.id, operator: 'alice' });
      expect(heard.slice(before).map((h) => h.operator)).not.toContain('bob');
      await stop();
      const after = heard.length;
      await alice.addNote(c.id, 'after the colleague stopped watching');
      await new Promise((r) => setTimeout(r, 200));
      expect(heard.length).toBe(after);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('sqlite: watching is a no-op (one app per store)', async () => {
    const store = await b.open(await b.location('sqlite'));
    const heard: StoreChange[] = [];
    const stop = await store.watchChanges((c) => heard.push(c));
    const [mail] = await corpusComplaints(1);
    await store.createOrFindCase({ complaintRaw: mail.raw, complaintName: mail.name, complaint: mail.complaint });
    await stop();
    await store.close();
    expect(heard).toEqual([]);
  });
});
