/**
 * Operators and optimistic concurrency, on SQLite and PostgreSQL alike:
 * every audit line names who made the change (the store's operator, else the
 * OS user); a case's version counts its changes; a status change made on an
 * old version is refused with a 'conflict' that says what happened since.
 * Then two store instances on one database change the same case's status
 * at the same moment, 100 rounds: one change lands per round, the other is
 * refused, no update is lost and the audit trail is whole.
 */
import { userInfo } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseStore, CaseStatus } from '../../../store/case-store';
import { pgTitle, postgresSkip } from '../../helpers/postgres';
import { useBackends, type BackendName } from './backends';
import { corpusComplaints, type CorpusComplaint } from './scenario';

const STATUSES: CaseStatus[] = ['new', 'analysed', 'replied', 'closed'];

describe.skipIf(!!postgresSkip)(pgTitle('operators and case versions'), () => {
  const b = useBackends();
  let mails: CorpusComplaint[];
  beforeAll(async () => { mails = await corpusComplaints(3); });

  async function twoOperators(name: BackendName): Promise<{ location: string; alice: CaseStore; bob: CaseStore; caseId: number; close: () => Promise<void> }> {
    const location = await b.location(name);
    const alice = await b.open(location, { operator: 'alice' });
    const bob = await b.open(location, { operator: 'bob' });
    const { case: c } = await alice.createOrFindCase({ complaintRaw: mails[0].raw, complaintName: mails[0].name, complaint: mails[0].complaint });
    return { location, alice, bob, caseId: c.id, close: async () => { await alice.close(); await bob.close(); } };
  }

  it.each(['sqlite', 'postgres'] as const)('%s: audit lines name the operator; a change on an old version is refused with who changed it', async (name) => {
    const { location, alice, bob, caseId, close } = await twoOperators(name);
    try {
      const seen = await bob.getCase(caseId);
      expect(seen.version).toBe(1);
      await alice.addTag(caseId, 'triage');
      const v2 = (await alice.getCase(caseId)).version;
      expect(v2).toBe(2);
      const err = await bob.setStatus(caseId, 'closed', { expectedVersion: seen.version }).catch((e: unknown) => e) as { code: string; message: string };
      expect(err.code).toBe('conflict');
      expect(err.message).toContain('version 1, it is now at version 2');
      expect(err.message).toContain('tag "triage" added by alice');
      expect((await bob.getCase(caseId)).status).toBe('new'); // nothing changed
      const ok = await bob.setStatus(caseId, 'closed', { expectedVersion: v2 });
      expect(ok).toMatchObject({ status: 'closed', version: 3 });
      const unnamed = await b.open(location);
      await unnamed.addNote(caseId, 'looked at it');
      expect(unnamed.operator).toBe(userInfo().username);
      await unnamed.close();
      const trail = (await alice.getCase(caseId)).audit.map((a) => [a.action, a.operator]);
      expect(trail).toEqual([['created', 'alice'], ['tag_added', 'alice'], ['status_changed', 'bob'], ['note_added', userInfo().username]]);
    } finally {
      await close();
    }
  });

  it.each(['sqlite', 'postgres'] as const)('%s: two stores changing one case at once, 100 rounds: one change per round lands, none is lost, every one is audited', async (name) => {
    const { alice, bob, caseId, close } = await twoOperators(name);
    try {
      // Each round both read the case, then both change it at once from what they read: the
      // store serialises the writes, so one lands and the other must be refused, never both.
      const tally = { alice: { ok: 0, conflict: 0 }, bob: { ok: 0, conflict: 0 } };
      for (let round = 0; round < 100; round++) {
        const seen = await Promise.all([alice.getCase(caseId), bob.getCase(caseId)]);
        const settled = await Promise.allSettled(([['alice', alice], ['bob', bob]] as const).map(([who, store], i) => {
          const next = STATUSES[(STATUSES.indexOf(seen[i].status) + 1 + i) % STATUSES.length];
          return store.setStatus(caseId, next, { expectedVersion: seen[i].version }).then(() => who);
        }));
        for (const [i, r] of settled.entries()) {
          const who = i === 0 ? 'alice' : 'bob';
          if (r.status === 'fulfilled') tally[who].ok++;
          else if ((r.reason as { code?: string }).code === 'conflict') tally[who].conflict++;
          else throw r.reason;
        }
      }
      const done = await alice.getCase(caseId);
      const changes = done.audit.filter((a) => a.action === 'status_changed');
      const ok = tally.alice.ok + tally.bob.ok;
      expect(tally.alice.ok + tally.alice.conflict + tally.bob.ok + tally.bob.conflict).toBe(200);
      // Every accepted change is in the audit trail under its operator, and the version counted each.
      expect(changes.length).toBe(ok);
      expect(changes.filter((a) => a.operator === 'alice').length).toBe(tally.alice.ok);
      expect(changes.filter((a) => a.operator === 'bob').length).toBe(tally.bob.ok);
      expect(done.version).toBe(1 + ok);
      // No lost update: each change starts from the status the one before it left.
      let status: string = 'new';
      for (const a of changes) {
        const [, from, to] = /^status (\w+) → (\w+)$/.exec(a.detail)!;
        expect(from).toBe(status);
        status = to;
      }
      expect(done.status).toBe(status);
      // Every round exactly one change landed and one was refused.
      expect(ok).toBe(100);
      expect(tally.alice.conflict + tally.bob.conflict).toBe(100);
    } finally {
      await close();
    }
  });
});
