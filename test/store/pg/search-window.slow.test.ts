/**
 * PostgreSQL's newest-first search (store/pg/search.ts searchPagePg) answers
 * from the newest cases, walking backwards, or from the word index,
 * depending on how many matches the newest `window` cases hold. Whichever
 * way, the page must be SQLite's: the 81 AbuseIO corpus complaints on both,
 * every query of the behaviour suite, windows from 1 case to all of them,
 * pages at offsets 0 and 5, with and without a verdict filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStore, SearchOptions } from '../../../store/case-store';
import { openPgStore } from '../../../store/pg/open';
import { searchPagePg, tsQuery } from '../../../store/pg/search';
import type { Db } from '../../../store/db';
import { splitCidrs } from '../../../store/search';
import { pgTitle, postgresSkip } from '../../helpers/postgres';
import { useBackends } from '../behaviour/backends';
import { corpusComplaints, searchQueries, type CorpusComplaint } from '../behaviour/scenario';

describe.skipIf(!!postgresSkip)(pgTitle('newest-first search on PostgreSQL, whichever way it takes'), () => {
  const b = useBackends();
  let mails: CorpusComplaint[];
  let sqlite: CaseStore;
  let pg: Db;
  beforeAll(async () => {
    mails = await corpusComplaints(81);
    const url = await b.location('postgres');
    sqlite = await b.open(await b.location('sqlite'));
    const shared = await b.open(url);
    const verdicts = ['backscatter', 'compromise', 'legitimate'] as const;
    for (const [i, m] of mails.entries()) {
      for (const s of [sqlite, shared]) {
        const { case: c } = await s.createOrFindCase({ complaintRaw: m.raw, complaintName: m.name, complaint: m.complaint });
        await s.setStatus(c.id, 'analysed');
        // A verdict to filter on, as an analysis would leave it (the same on both).
        if (i % 2) await s.saveDraft(c.id, { subject: `Re: ${verdicts[i % 3]}`, body: `verdict ${verdicts[i % 3]}`, origin: 'edited' });
      }
    }
    await shared.close();
    pg = (await openPgStore(url)).db;
  });
  afterAll(async () => {
    await sqlite?.close();
    await pg?.close();
  });

  it('gives the same page as SQLite for every query, window, offset and filter', async () => {
    // Addresses and blocks are filters, and a query with nothing searchable left a plain list (store/search.ts): not this function's.
    const queries = [...searchQueries(mails), 'verdict', 'backscatter', 'verdict compromise', 'abuse report']
      .filter((q) => !splitCidrs(q).ranges.length && tsQuery(q) !== null);
    let compared = 0;
    let nonEmpty = 0;
    for (const query of queries) {
      const variants: Array<[string[], string[], SearchOptions]> = [[[], [], {}], [['c.status IN (?)'], ['analysed'], { status: ['analysed'] }]];
      for (const [where, params, filter] of variants) {
        for (const offset of [0, 5]) {
          const expected = (await sqlite.search(query, { ...filter, limit: 6, offset })).items.map((h) => h.id);
          for (const window of [1, 5, 20, 10_000]) {
            // limit + 1, as store/search.ts asks (to know whether there is more).
            const got = (await searchPagePg(pg, query, [...where], [...params], 'newest', 7, offset, window)).map((h) => h.id).slice(0, 6);
            expect(got, `${query} window ${window} offset ${offset} ${where.join()}`).toEqual(expected);
            compared++;
          }
          if (expected.length) nonEmpty++;
        }
      }
    }
    expect(compared).toBe(queries.length * 2 * 2 * 4);
    expect(nonEmpty).toBeGreaterThan(queries.length); // not vacuous
  });
});
