/**
 * Reply templates on SQLite and PostgreSQL alike: two apps of one desk see
 * each other's saved text, each save and reset counts the version up and
 * names its operator, an edit made on a version changed since is refused on
 * both, and the same operations leave the same rows.
 */
import { describe, expect, it } from 'vitest';
import { defaultTemplate } from '../../../analysis/draft/template-keys';
import type { StoredReplyTemplate } from '../../../store/case-store';
import { pgTitle, postgresSkip } from '../../helpers/postgres';
import { steppingClock, useBackends, type BackendName } from './backends';

const key = { reportClass: 'network-abuse', verdict: 'backscatter' } as const;
const spam = { reportClass: 'spam', verdict: 'compromise' } as const;

describe.skipIf(!!postgresSkip)(pgTitle('reply templates'), () => {
  const b = useBackends();

  async function scenario(name: BackendName): Promise<StoredReplyTemplate[]> {
    const location = await b.location(name);
    const now = steppingClock();
    const alice = await b.open(location, { now, operator: 'alice' });
    const bob = await b.open(location, { now, operator: 'bob' });
    try {
      const text = { subject: 'Re: {subject} [{case}]', body: 'Hello {reporter},\n\n{customer} runs {accused}.\n\n{signature}\n' };
      const saved = await alice.replyTemplates.set(key, text, { expectedVersion: 0 });
      expect(await bob.replyTemplates.get(key)).toEqual(saved);
      await expect(alice.replyTemplates.set(key, { ...text, body: 'late\n' }, { expectedVersion: 0 })).rejects.toMatchObject({ code: 'conflict' });
      await bob.replyTemplates.set(spam, defaultTemplate(spam));
      await bob.replyTemplates.reset(key, { expectedVersion: 1 });
      await expect(alice.replyTemplates.set(key, text, { expectedVersion: 1 })).rejects.toThrow(/was reset by bob/);
      await expect(alice.replyTemplates.set(key, { subject: '{nope}', body: 'x' })).rejects.toMatchObject({ code: 'invalid' });
      await alice.replyTemplates.set(key, text, { expectedVersion: 2 });
      return await bob.replyTemplates.list();
    } finally {
      await alice.close();
      await bob.close();
    }
  }

  it('saves, refuses stale edits, resets and lists the same on both backends', async () => {
    const sqlite = await scenario('sqlite');
    const postgres = await scenario('postgres');
    expect(postgres).toEqual(sqlite);
    expect(sqlite.map((r) => [r.reportClass, r.verdict, r.version, r.updatedBy, r.template !== null])).toEqual([
      ['network-abuse', 'backscatter', 3, 'alice', true], ['spam', 'compromise', 1, 'bob', true],
    ]);
  });
});
