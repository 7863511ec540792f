/**
 * The case store on both backends side by side (`npx tsx bench/store-backends.ts [CASES]`,
 * default 20,000): the store bench's generated cases (bench/store.ts fill)
 * in SQLite, copied into a throw-away PostgreSQL cluster with `store migrate`
 * (test/helpers/postgres.ts; Debian's postgresql must be installed), then the
 * same seeded lists, searches and case openings on each. Prints median and
 * p95 in ms per backend, the copy's rate and the count check.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore, type CaseFilters } from '../store/case-store';
import { copySqliteToPg } from '../store/pg/copy-from-sqlite';
import { openPgStore } from '../store/pg/open';
import { startPostgres } from '../test/helpers/postgres';
import { fill, timeIt } from './store';

const VERDICTS = ['backscatter', 'legitimate', 'compromise', 'inconclusive'] as const;
const TERMS = ['port', 'SYN', 'ssh', 'worm', 'RDP', 'snort', 'suricata', 'fail2ban', 'zeek', 'investigate', '"SYN flood"', 'brute', 'abuse', 'example.org', 'nothing-matches-this'];

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function measure(store: CaseStore, n: number, q: number): Promise<Record<string, { median: number; p95: number; n: number }>> {
  const r = rng(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const lists: CaseFilters[] = [{}, { status: 'new' }, { verdict: 'compromise' }, { accused: '198.51.100.0/24' }, { reporterDomain: 'example.org' }, { from: '2025-03-01', to: '2025-03-31' }, { offset: 500 }];
  const ids = Array.from({ length: q }, () => 1 + Math.floor(r() * n));
  const queries = Array.from({ length: q }, (_, i) => (i % 3 === 0 ? `${pick(TERMS)} ${pick(TERMS)}` : pick(TERMS)));
  const verdicts = Array.from({ length: q }, () => pick(VERDICTS));
  return {
    list: await timeIt(q, (i) => store.listCases(lists[i % lists.length])),
    search: await timeIt(q, (i) => store.search(queries[i], i % 5 === 0 ? { verdict: verdicts[i] } : {})),
    searchRelevance: await timeIt(Math.ceil(q / 2), (i) => store.search(queries[i], { order: 'relevance' })),
    getCase: await timeIt(q, (i) => store.getCase(ids[i])),
  };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 20_000);
  const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-backends-'));
  const cluster = await startPostgres();
  try {
    console.log(`filling ${n} cases into SQLite ...`);
    await fill(dir, n, () => undefined);
    const url = cluster.createDatabase();
    const dest = await openPgStore(url);
    const t0 = performance.now();
    const report = await copySqliteToPg(dir, dest.db, dest.vault);
    const copySeconds = (performance.now() - t0) / 1000;
    await dest.db.close();
    console.log(`store migrate: ${report.cases.copied} cases in ${copySeconds.toFixed(1)} s (${Math.round(report.cases.copied / copySeconds)}/s), count check ${report.mismatches.length ? 'FAILED' : 'alike'}`);
    const rows: Record<string, Record<string, { median: number; p95: number }>> = {};
    for (const [name, loc] of [['sqlite', dir], ['postgres', url]] as const) {
      const t = performance.now();
      const store = await CaseStore.open(loc);
      const openMs = performance.now() - t;
      rows[name] = { open: { median: openMs, p95: openMs }, ...(await measure(store, n, 200)) };
      await store.close();
    }
    console.log(`${'ms'.padEnd(16)} ${'sqlite median'.padStart(14)} ${'p95'.padStart(8)} ${'postgres median'.padStart(16)} ${'p95'.padStart(8)}`);
    for (const k of Object.keys(rows.sqlite)) {
      const a = rows.sqlite[k];
      const b = rows.postgres[k];
      console.log(`${k.padEnd(16)} ${a.median.toFixed(2).padStart(14)} ${a.p95.toFixed(2).padStart(8)} ${b.median.toFixed(2).padStart(16)} ${b.p95.toFixed(2).padStart(8)}`);
    }
  } finally {
    cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
