import { describe, expect, it } from 'vitest';
import type { CaseStore } from '../../store/case-store';
import { filterSql, ftsQuery, splitCidrs } from '../../store/search';
import { day, useTempStore } from './store-fixture';

const t = useTempStore();

describe('list and search', () => {
  it('searches with any text, FTS syntax included, without throwing', async () => {
    const { store, addCase } = t;
    await addCase({ text: 'SYN flood "from" 198.51.100.10 (port 80) -- AND/OR NEAR* ^' });
    await addCase({ text: 'ssh brute force from 198.51.100.99', accused: ['198.51.100.99'] });
    for (const q of ['"', '""', '(', ')', '*', 'AND', 'OR', 'NOT', 'NEAR(', 'a:b', 'subject:flood', '-flood', '^syn', '{x}', "'", '\\', '%_', 'flood"*', '\u0000', '🙂']) {
      await expect(store.search(q)).resolves.toBeDefined();
    }
    expect((await store.search('flood')).items.map((c) => c.accused)).toEqual([['198.51.100.10']]);
    expect((await store.search('"198.51.100.99"')).items).toHaveLength(1);
    expect((await store.search('brut')).items).toHaveLength(1); // prefix
    const hit = (await store.search('brute', { order: 'relevance' })).items[0];
    expect(hit.snippet).toContain('«brute»');
  });

  it('filters by address or CIDR, status, verdict, dates and reporter domain', async () => {
    const { store, addCase } = t;
    const a = await addCase({ accused: ['198.51.100.10'], reporter: 'abuse@noc.example.net', dateMs: day('2025-12-01'), verdict: 'backscatter' });
    const b = await addCase({ accused: ['198.51.100.200'], reporter: 'soc@example.org', dateMs: day('2025-12-10'), verdict: 'compromise' });
    const c = await addCase({ accused: ['2001:db8::5'], reporter: 'x@example.net', dateMs: day('2025-12-20') });
    const ids = async (f: Parameters<CaseStore['listCases']>[0]) => (await store.listCases(f)).items.map((x) => x.id).sort();
    expect(await ids({ accused: '198.51.100.0/24' })).toEqual([a, b]);
    expect(await ids({ accused: '198.51.100.128/25' })).toEqual([b]);
    expect(await ids({ accused: '198.51.100.10' })).toEqual([a]);
    expect(await ids({ accused: '2001:db8::/32' })).toEqual([c]);
    expect(await ids({ accused: '0.0.0.0/0' })).toEqual([a, b]);
    expect(await ids({ verdict: 'compromise' })).toEqual([b]);
    expect(await ids({ status: 'new' })).toEqual([c]);
    expect(await ids({ from: '2025-12-05', to: '2025-12-10' })).toEqual([b]);
    expect(await ids({ reporterDomain: 'example.net' })).toEqual([a, c]);
    expect(await ids({ reporterDomain: 'ample.net' })).toEqual([]);
    expect(await ids({ accused: '198.51.100.0/24', verdict: ['backscatter', 'inconclusive'] })).toEqual([a]);
    expect((await store.search('port', { accused: '198.51.100.0/25' })).items.map((x) => x.id)).toEqual([a]);
    await expect(store.listCases({ accused: '198.51.100.0/99' })).rejects.toMatchObject({ code: 'invalid' });
    const page = await store.listCases({ limit: 2 });
    expect(page).toMatchObject({ hasMore: true, limit: 2 });
    expect(page.items.map((x) => x.id)).toEqual([c, b]);
  });
});

describe('a CIDR in the search text', () => {
  it('finds the cases with an accused or complainant address in the block, alone or with words and filters', async () => {
    const { store, addCase } = t;
    const a = await addCase({ accused: ['10.0.2.35'], text: 'spam from 10.0.2.35' });
    const b = await addCase({ accused: ['10.0.2.200'], targets: ['192.0.2.9'], text: 'port scan from 10.0.2.200 to 192.0.2.9' });
    await addCase({ accused: ['10.0.3.1'], text: 'spam from 10.0.3.1' });
    const ids = async (q: string, f = {}) => (await store.search(q, f)).items.map((x) => x.id).sort();
    expect(await ids('10.0.2.0/24')).toEqual([a, b]);
    expect(await ids('10.0.2.128/25')).toEqual([b]);
    expect(await ids('192.0.2.0/24')).toEqual([b]);
    expect(await ids('spam 10.0.2.0/24')).toEqual([a]);
    expect(await ids('10.0.2.0/24', { verdict: 'compromise' })).toEqual([]);
    expect(await ids('10.9.0.0/16')).toEqual([]);
    // Not a block: searched as text, as before.
    expect(await ids('10.0.2.0/99')).toEqual([]);
    expect(await ids('"10.0.2.35"')).toEqual([a]);
    const hit = (await store.search('10.0.2.0/24')).items.find((x) => x.id === b)!;
    expect(hit.snippet).toBe('«10.0.2.200»');
  });

  it('splitCidrs takes out address blocks only', () => {
    expect(splitCidrs('spam 10.0.2.0/24 "a/b" and/or 2001:db8::/32')).toMatchObject({ text: 'spam  "a/b" and/or ', ranges: [{}, {}] });
    expect(splitCidrs('10.0.2.35').ranges).toEqual([]);
  });
});

describe('ftsQuery', () => {
  it('quotes every user word so FTS syntax is plain text', () => {
    expect(ftsQuery('scan')).toBe('"scan"*');
    expect(ftsQuery('198.51.100.10 "syn flood"')).toBe('"198.51.100.10" AND "syn flood"');
    expect(ftsQuery('a"b OR NEAR(x')).toBe('"a""b" AND "OR" AND "NEAR(x"');
    expect(ftsQuery('*** ( ) -')).toBeNull();
  });
});

describe('filterSql', () => {
  it('collects few accused cases from the address index and walks the cases for many', () => {
    expect(filterSql({ accused: '198.51.100.0/24' }).where[0]).toMatch(/^c\.id IN \(SELECT case_id FROM case_addresses/);
    expect(filterSql({ accused: '198.51.100.0/24' }, { manyAccused: true }).where[0]).toMatch(/^EXISTS \(SELECT 1 FROM case_addresses a WHERE a\.case_id = c\.id/);
    expect(filterSql({ reporterDomain: 'Example.NET' }).params).toEqual(['net.example', 'net.example.', 'net.example/']);
  });
});
