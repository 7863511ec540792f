/**
 * CaseStore.desk (store/desk.ts): the live claims among a queue page's cases
 * (lapsed claims and cases not asked about left out), and the reply
 * reservation it hands to reply-guard.ts (its own test: reply-guard.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store';
import { fakeComplaint, tempDir } from './helpers';

let dir: { dir: string; cleanup: () => Promise<void> };
let alice: CaseStore;
let bob: CaseStore;
const clock = { now: Date.parse('2026-03-02T10:00:00Z') };
const ids: number[] = [];
beforeAll(async () => {
  dir = await tempDir('ad-desk-');
  alice = await CaseStore.open(dir.dir, { operator: 'alice', now: () => clock.now });
  bob = await CaseStore.open(dir.dir, { operator: 'bob', now: () => clock.now });
  for (const i of [1, 2, 3]) {
    const c = fakeComplaint({ text: `Host 198.51.100.${i} scanned us.`, accused: [`198.51.100.${i}`] });
    ids.push((await alice.createOrFindCase({ complaintRaw: c.text, complaintName: `${i}.txt`, complaint: c })).case.id);
  }
});
afterAll(async () => {
  await alice.close();
  await bob.close();
  await dir.cleanup();
});

describe('CaseStore.desk', () => {
  it('lists the live claims among the cases asked about, whoever holds them', async () => {
    await alice.claim(ids[0], { idleMs: 60_000 });
    await bob.claim(ids[1], { idleMs: 10 * 60_000 });
    const claims = await alice.desk.claimsOf([ids[0], ids[1], ids[2], ids[0], 0.5, 999]);
    expect(claims.map((c) => [c.caseId, c.operator, c.expiresAt - c.lastSeenAt]).sort()).toEqual([[ids[0], 'alice', 60_000], [ids[1], 'bob', 600_000]].sort());
    expect(await bob.desk.claimsOf([ids[2]])).toEqual([]);
    expect(await bob.desk.claimsOf([])).toEqual([]);
    // Alice's lapses after her idle time; Bob's stands.
    clock.now += 60_000;
    expect((await bob.desk.claimsOf(ids)).map((c) => c.operator)).toEqual(['bob']);
  });

  it('reserves a reply and gives it back', async () => {
    const draft = await alice.saveDraft(ids[2], { subject: 'Re: scan', body: 'Handled.', origin: 'edited' });
    const r = await alice.desk.beginReply(ids[2], draft.id);
    await expect(bob.desk.beginReply(ids[2], draft.id)).rejects.toMatchObject({ code: 'conflict' });
    await alice.desk.abandonReply(r);
    await expect(bob.desk.beginReply(ids[2], draft.id)).resolves.toMatchObject({ caseId: ids[2], draftId: draft.id });
  });
});
