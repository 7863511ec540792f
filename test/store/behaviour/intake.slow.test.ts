/**
 * Intake and the queue on SQLite and PostgreSQL alike: the 81 AbuseIO corpus
 * mails imported (twice: the second time imports nothing) give the same
 * cases, messages, first looks, queue ranks, classes and reply groups on both
 * backends; a backup of the shared store is refused with where to back it up.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../../../services/intake/files';
import { QUEUE_CLASSES } from '../../../analysis/triage/rank';
import { importMessages } from '../../../store/intake';
import { pgTitle, postgresSkip } from '../../helpers/postgres';
import { steppingClock, useBackends } from './backends';
import { CORPUS } from './scenario';

const ABUSEIO = join(CORPUS, 'complaints/abuseio');

describe.skipIf(!!postgresSkip)(pgTitle('intake and queue: SQLite and PostgreSQL alike'), () => {
  const b = useBackends();

  it('imports the AbuseIO corpus into the same cases, queue and groups', async () => {
    const results: Record<string, Record<string, unknown>> = {};
    for (const name of ['sqlite', 'postgres'] as const) {
      const store = await b.open(await b.location(name), { now: steppingClock(), operator: 'intake' });
      const out: Record<string, unknown> = {};
      try {
        const first = await importMessages(store, readMessages([ABUSEIO]), { ourNets: ['192.0.2.0/24'] });
        out.first = first.counts;
        out.again = (await importMessages(store, readMessages([ABUSEIO]), { ourNets: ['192.0.2.0/24'] })).counts;
        for (const cls of QUEUE_CLASSES) out[`queue ${cls}`] = await store.queue({ class: cls, limit: 100 });
        out.groups = await store.caseGroups({ minSize: 2, verdicts: ['backscatter', 'legitimate', 'compromise', 'inconclusive'] });
        const ids = first.caseIds;
        for (const id of ids) {
          out[`messages ${id}`] = await store.messagesOf(id);
          out[`first look ${id}`] = await store.firstLookOf(id);
          out[`group ${id}`] = await store.groupOf(id);
        }
        out.list = await store.listCases({ limit: 200 });
        out.search = (await store.search('spam', { limit: 200 })).items.map((h) => h.id);
        out.backup = await store.backup(join(await b.location('sqlite'), 'bk')).then(() => 'written', (e: { code: string }) => e.code);
      } finally {
        await store.close();
      }
      results[name] = out;
    }
    const { sqlite, postgres } = results;
    expect(sqlite.first).toMatchObject({ created: 63 });
    expect(sqlite.again).toMatchObject({ created: 0, 'already-imported': 81 });
    for (const key of Object.keys(sqlite)) if (key !== 'backup') expect(postgres[key], key).toEqual(sqlite[key]);
    expect((sqlite.groups as unknown[]).length).toBeGreaterThan(0);
    expect([sqlite.backup, postgres.backup]).toEqual(['written', 'invalid']);
  });
});
