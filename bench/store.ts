/**
 * Case store bench (`npm run bench -- --only store`, also run at the end of
 * `npm run bench`): fills a temporary store with N generated cases (default
 * 100,000: varied accused addresses, reporters, texts, verdicts and dates, each
 * with an analysis run, a draft and audit lines) in big transactions through
 * the store's own schema, then measures
 *
 *   open       CaseStore.open on the filled store (migrations check included)
 *   list       listCases with random filters (none, status, verdict, CIDR, reporter domain, dates)
 *   search     search() for random words, phrases and addresses, newest first and by relevance
 *   getCase    opening one case with everything it holds
 *   related    relatedCases of a random case
 *   save       saveAnalysis through the public API (one fsync'd transaction each)
 *
 * reporting median and p95 in ms. Targets (issue 5): search p95 < 50 ms, getCase < 20 ms.
 * Then the same cases loaded into a throw-away PostgreSQL (bench/store-pg.ts)
 * and the same seeded measurements there, side by side (issue 14: PostgreSQL's
 * search p95 < 50 ms too); skipped, with why, where PostgreSQL is missing.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressKey } from '../store/address-key';
import { CaseStore } from '../store/case-store';
import { Database } from '../store/database';
import { complaintFingerprint } from '../store/fingerprint';
import { migrate } from '../store/migrations/index';
import { reverseDomain } from '../store/search';
import { pgBackend, type BackendFigures, type PgFigures } from './store-pg';

export interface StoreBenchOptions { cases?: number; queries?: number; log?: (line: string) => void; /** false: SQLite only. */ postgres?: boolean }

export interface StoreBenchResult {
  cases: number;
  fillSeconds: number;
  databaseMiB: number;
  openMs: number;
  latencies: Record<string, { median: number; p95: number; n: number }>;
  targets: { searchP95Under50: boolean; getCaseUnder20: boolean; postgresSearchP95Under50?: boolean };
  /** The same cases and queries on PostgreSQL, or why not. */
  postgres?: PgFigures | { skipped: string };
}

/** Deterministic PRNG (mulberry32), so two runs fill the same store. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERDICTS = ['backscatter', 'legitimate', 'compromise', 'inconclusive'] as const;
const STATUSES = ['new', 'analysed', 'replied', 'closed'] as const;
const ACTIVITIES = ['port scan', 'SYN flood', 'ssh brute force', 'UDP sweep', 'worm propagation', 'RDP password guessing', 'SMTP spam run', 'ICMP sweep', 'web vulnerability scan', 'telnet login attempts'];
const SENSORS = ['snort', 'suricata', 'fail2ban', 'scanlogd', 'ipcop', 'psad', 'zeek', 'crowdsec'];
const DOMAINS = ['example.net', 'example.org', 'noc.example.com', 'abuse.univ.example', 'cert.example.de', 'soc.hosting.example', 'isp.example.fr', 'abuse.cloud.example'];
const WORDS = 'observed repeated connection attempts against our infrastructure please investigate terminate offending activity logs attached below times shown firewall dropped packets intrusion detection alert customer network server blocked'.split(' ');

function address(r: () => number): string {
  if (r() < 0.08) return `2001:db8:${Math.floor(r() * 64).toString(16)}::${Math.floor(r() * 65535).toString(16)}`;
  // A few thousand distinct hosts in our ranges, some much more complained about than others.
  const host = Math.floor(r() ** 2 * 4000);
  return `198.51.${100 + (host >> 8) % 12}.${host & 255}`;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

/** Run `fn` n times and give the median and 95th percentile in ms (shared by the store and intake benches). */
export async function timeIt(n: number, fn: (i: number) => Promise<unknown>): Promise<{ median: number; p95: number; n: number }> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { median: r(percentile(t, 0.5)), p95: r(percentile(t, 0.95)), n };
}

/** Fill `dataDir` with `n` generated cases, bypassing the per-case API for speed (same schema, same FTS rows). */
export async function fill(dataDir: string, n: number, log: (l: string) => void): Promise<void> {
  const db = await Database.open(join(dataDir, 'cases.sqlite'));
  await migrate(db);
  const r = rng(42);
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-06-01T00:00:00Z') - start;
  const batch = 5000;
  for (let from = 1; from <= n; from += batch) {
    await db.transaction(async (tx) => {
      const insCase = await tx.prepare(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text,
        subject, reporter_address, reporter_name, reporter_domain, reporter_domain_rev, window_start, window_end, verdict, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
      const insAddr = await tx.prepare('INSERT OR IGNORE INTO case_addresses (case_id, role, address, addr_key) VALUES (?,?,?,?)');
      const insRun = await tx.prepare(`INSERT INTO analysis_runs (case_id, created_at, engine_version, schema_version, verdict, confidence, duration_ms, options_json, result_json) VALUES (?,?,?,?,?,?,?,?,?)`);
      const insDraft = await tx.prepare('INSERT INTO drafts (case_id, version, subject, body, origin, run_id, created_at) VALUES (?,?,?,?,?,?,?)');
      const insAudit = await tx.prepare('INSERT INTO audit (case_id, at, action, detail) VALUES (?,?,?,?)');
      const insFts = await tx.prepare('INSERT INTO case_fts (rowid, subject, complaint, reporter, addresses, drafts) VALUES (?,?,?,?,?,?)');
      for (let id = from; id < Math.min(from + batch, n + 1); id++) {
        const received = start + Math.floor(r() * span);
        const accused = [address(r), ...(r() < 0.15 ? [address(r)] : [])];
        const target = `203.0.113.${Math.floor(r() * 256)}`;
        const domain = pick(r, DOMAINS);
        const reporter = `${pick(r, ['abuse', 'noc', 'security', 'cert', 'soc'])}${Math.floor(r() * 300)}@${domain}`;
        const activity = pick(r, ACTIVITIES);
        const sensor = pick(r, SENSORS);
        const port = pick(r, [22, 23, 25, 80, 443, 445, 3389, 5060, 8080, 770]);
        const filler = Array.from({ length: 40 + Math.floor(r() * 60) }, () => pick(r, WORDS)).join(' ');
        const when = new Date(received - 3_600_000).toISOString();
        const text = `Dear abuse team,\n\nour ${sensor} sensor reported ${activity} from your host ${accused.join(' and ')} against ${target} port ${port} at ${when}.\n${filler}\n\nRegards,\n${reporter} (case ${id})\n`;
        const subject = `${activity} from ${accused[0]}`;
        const verdict = pick(r, VERDICTS);
        const status = verdict === 'inconclusive' && r() < 0.3 ? 'new' : pick(r, STATUSES.slice(1));
        const confidence = Math.round(r() * 100) / 100;
        const complaint = { format: 'text', subject, reporter: { address: reporter }, accused, targets: [target], ports: { source: [], destination: [port] }, activity: 'port-scan', times: [], zone: 'UTC', text, warnings: [], attachments: [], quotedLines: 0, sensor };
        await insCase.run([id, received, received, received, status, complaintFingerprint(text), `complaint-${id}.eml`, Buffer.from(text), JSON.stringify(complaint), text,
          subject, reporter, null, domain, reverseDomain(domain), received - 3_600_000, received - 3_500_000, verdict === 'inconclusive' && status === 'new' ? null : verdict, confidence]);
        for (const a of accused) await insAddr.run([id, 'accused', a, addressKey(a)]);
        await insAddr.run([id, 'target', target, addressKey(target)]);
        const result = { schemaVersion: 1, engineVersion: '0.1.0', verdict, confidence, accused, targets: [target], findings: [{ id: 'f1', summary: `${activity} ${filler.slice(0, 300)}` }], reasons: [filler.slice(0, 200)], warnings: [], notes: [] };
        await insRun.run([id, received + 60_000, '0.1.0', 1, verdict, confidence, 40 + r() * 400, '{}', JSON.stringify(result)]);
        const body = `Hello,\n\nthank you for your report about ${accused[0]}. Our analysis shows ${verdict}.\n${filler.slice(0, 400)}\n`;
        await insDraft.run([id, 1, `Re: ${subject}`, body, 'generated', id, received + 60_000]);
        await insAudit.run([id, received, 'created', `complaint from ${reporter}`]);
        await insAudit.run([id, received + 60_000, 'analysed', `engine 0.1.0: ${verdict}`]);
        await insFts.run([id, subject, text, `${reporter} ${domain}`, [...accused, target].join(' '), `Re: ${subject} ${body}`]);
      }
      for (const st of [insCase, insAddr, insRun, insDraft, insAudit, insFts]) await st.finalize();
    });
    const done = Math.min(from + batch - 1, n);
    if (done % 20000 === 0 || done === n) log(`  ${done.toLocaleString('en-US')} cases`);
  }
  await db.exec('ANALYZE');
  await db.exec("INSERT INTO case_fts (case_fts) VALUES ('optimize')");
  await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.close();
}

/**
 * Open the store at `location` five times (the median is `openMs`), then the
 * seeded lists, searches, case openings, related cases, host histories and
 * saves; the same seed gives the same queries on every backend.
 */
export async function measureBackend(location: string, n: number, q: number, scratchDir: string): Promise<BackendFigures> {
  const opens: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const s = await CaseStore.open(location);
    opens.push(performance.now() - t);
    await s.close();
  }
  opens.sort((a, b) => a - b);
  const openMs = Math.round(opens[2] * 100) / 100;

  const store = await CaseStore.open(location);
  const r = rng(7);
  const latencies: StoreBenchResult['latencies'] = {};
  latencies.list = await timeIt(q, (i) => {
    const f = [
      {}, { status: 'new' as const }, { verdict: pick(r, VERDICTS) }, { accused: `198.51.${100 + Math.floor(r() * 12)}.0/24` },
      { accused: address(r) }, { reporterDomain: pick(r, DOMAINS) }, { from: '2025-03-01', to: '2025-03-31' },
      { verdict: 'compromise' as const, from: '2025-01-01', accused: '198.51.100.0/22' }, { offset: 500 },
    ][i % 9];
    return store.listCases(f);
  });
  const terms = [...ACTIVITIES.map((a) => a.split(' ')[0]), ...SENSORS, 'investigate', '"SYN flood"', 'brute', 'worm', 'abuse', 'example.org', 'nothing-matches-this'];
  latencies.search = await timeIt(q, (i) => {
    const query = i % 4 === 0 ? `"${address(r)}"` : i % 4 === 1 ? `${pick(r, terms)} ${pick(r, terms)}` : pick(r, terms);
    return store.search(query, i % 5 === 0 ? { verdict: pick(r, VERDICTS) } : {});
  });
  latencies.searchRelevance = await timeIt(Math.ceil(q / 2), () => store.search(`${pick(r, SENSORS)} ${pick(r, ['scan', 'flood', 'brute', 'attempts'])}`, { order: 'relevance' }));
  latencies.getCase = await timeIt(q, () => store.getCase(1 + Math.floor(r() * n)));
  latencies.related = await timeIt(Math.ceil(q / 2), () => store.relatedCases(1 + Math.floor(r() * n)));
  latencies.hostHistory = await timeIt(Math.ceil(q / 2), () => store.hostHistory(address(r)));
  const ev = join(scratchDir, 'evidence.bin');
  latencies.save = await timeIt(50, async (i) => {
    await writeFile(ev, `evidence ${i}`);
    const text = `bench save ${i} ${Math.random()}`;
    const c = { format: 'text', subject: 'bench', reporter: { address: 'b@example.net' }, accused: ['198.51.100.1'], targets: [], ports: { source: [], destination: [] }, activity: 'other' as const, times: [], zone: 'UTC', quotedEvents: [], text, attachments: [], warnings: [] };
    const result = { schemaVersion: 1, engineVersion: '0.1.0', verdict: 'backscatter', confidence: 0.9, accused: ['198.51.100.1'], targets: [], evidence: [], draft: { subject: 'Re: bench', body: 'x' } };
    return store.saveAnalysis({ complaintRaw: text, complaintName: 'b.txt', complaint: c, evidence: [ev], result: result as never, durationMs: 1 });
  });
  await store.close();
  return { openMs, latencies };
}

export async function runStoreBench(opts: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const n = opts.cases ?? 100_000;
  const q = opts.queries ?? 200;
  const log = opts.log ?? ((l: string) => console.log(l));
  const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-store-bench-'));
  try {
    log(`case store: filling ${n.toLocaleString('en-US')} cases into ${dir} ...`);
    const t0 = performance.now();
    await fill(dir, n, log);
    const fillSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const databaseMiB = Math.round((await stat(join(dir, 'cases.sqlite'))).size / 1048576);
    log(`  filled in ${fillSeconds} s (${databaseMiB} MiB)`);

    // PostgreSQL first: it is loaded from this store before the SQLite saves add cases to it.
    const postgres = opts.postgres === false ? undefined : await pgBackend(dir, n, q, log, measureBackend);
    const { openMs, latencies } = await measureBackend(dir, n, q, dir);
    return {
      cases: n, fillSeconds, databaseMiB, openMs, latencies, postgres,
      targets: {
        searchP95Under50: latencies.search.p95 < 50, getCaseUnder20: latencies.getCase.p95 < 20,
        ...(postgres && 'latencies' in postgres ? { postgresSearchP95Under50: postgres.latencies.search.p95 < 50 } : {}),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printStoreBench(res: StoreBenchResult, log: (l: string) => void = console.log): void {
  const pg = res.postgres && 'latencies' in res.postgres ? res.postgres : undefined;
  log('');
  log(`case store, ${res.cases.toLocaleString('en-US')} cases: SQLite ${res.databaseMiB} MiB, filled in ${res.fillSeconds} s`
    + (pg ? `; PostgreSQL ${pg.databaseMiB} MiB, loaded in ${pg.loadSeconds} s, same search results ${pg.sameSearch}` : `; PostgreSQL skipped: ${(res.postgres as { skipped?: string } | undefined)?.skipped ?? 'not asked'}`));
  const cell = (v?: { median: number; p95: number }): string => (v ? `${v.median.toFixed(2).padStart(10)}${v.p95.toFixed(2).padStart(10)}` : ''.padStart(20));
  log(`${'ms'.padEnd(16)}${'SQLite'.padStart(10)}${''.padStart(10)}${pg ? `${'PostgreSQL'.padStart(12)}` : ''}`);
  log(`${'query'.padEnd(16)}${'median'.padStart(10)}${'p95'.padStart(10)}${pg ? `${'median'.padStart(10)}${'p95'.padStart(10)}` : ''}${'n'.padStart(6)}`);
  log(`${'open'.padEnd(16)}${cell({ median: res.openMs, p95: res.openMs })}${pg ? cell({ median: pg.openMs, p95: pg.openMs }) : ''}${'5'.padStart(6)}`);
  for (const [k, v] of Object.entries(res.latencies)) log(`${k.padEnd(16)}${cell(v)}${pg ? cell(pg.latencies[k]) : ''}${String(v.n).padStart(6)}`);
  log(`targets: search p95 < 50 ms ${res.targets.searchP95Under50 ? 'met' : 'MISSED'}${pg ? ` (PostgreSQL ${res.targets.postgresSearchP95Under50 ? 'met' : 'MISSED'})` : ''}; `
    + `opening a case p95 < 20 ms ${res.targets.getCaseUnder20 ? 'met' : 'MISSED'}`);
}
