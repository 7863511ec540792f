/**
 * Intake bench (`npm run bench -- --only intake`, also run at the end of
 * `npm run bench`): builds an mbox of N messages (default 10,000) from the
 * AbuseIO corpus samples, each with its own Message-ID and Date and the
 * accused address replaced from a skewed pool (a few hosts complained about
 * often, most rarely), imports it into a fresh store with `importMessages`
 * (parse, first look, one fsync'd transaction per 100 messages), then measures the
 * queue's first screen (50 rows) on those cases.
 *
 * Reports messages per second, peak RSS (process maxRSS) and queue latency
 * (median and p95). Target (issue 6): first screen well under 200 ms.
 */
import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMbox } from '../services/intake/mbox';
import { CaseStore } from '../store/case-store';
import { importMessages } from '../store/intake';
import { timeIt } from './store';

export interface IntakeBenchOptions { messages?: number; queries?: number; log?: (line: string) => void }

export interface IntakeBenchResult {
  messages: number;
  mboxMiB: number;
  importSeconds: number;
  messagesPerSecond: number;
  peakRssMiB: number;
  cases: number;
  counts: Record<string, number>;
  queueCounts: Record<string, number>;
  queueFirstScreen: { median: number; p95: number; n: number };
  queueDeepPage: { median: number; p95: number; n: number };
  targets: { firstScreenP95Under200: boolean };
}

const corpus = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'shared', 'corpus', 'complaints', 'abuseio');

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The mbox text of N varied messages, one message at a time. */
export function* buildMbox(n: number, seed = 6): Generator<string> {
  const samples = readdirSync(corpus).filter((f) => f.endsWith('.eml')).sort().map((f) => {
    let t = readFileSync(join(corpus, f), 'latin1');
    if (t.startsWith('From ')) t = t.slice(t.indexOf('\n') + 1);
    return t.replace(/\r\n/g, '\n');
  });
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const s = samples[i % samples.length];
    // The sample's most frequent IPv4 address is (nearly always) the accused: give it a host from the pool.
    const ips = s.match(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g) ?? [];
    const freq = new Map<string, number>();
    for (const ip of ips) freq.set(ip, (freq.get(ip) ?? 0) + 1);
    const top = [...freq.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const host = Math.floor(r() ** 3 * 3000);
    const addr = `10.${20 + (host >> 16)}.${(host >> 8) & 255}.${host & 255}`;
    const date = new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 330 * 86_400_000)).toUTCString().replace('GMT', '+0000');
    let m = top ? s.split(top).join(addr) : s;
    m = /^message-id:/im.test(m) ? m.replace(/^message-id:.*$/im, `Message-ID: <bench-${i}@bench.example>`) : `Message-ID: <bench-${i}@bench.example>\n${m}`;
    m = /^date:/im.test(m) ? m.replace(/^date:.*$/im, `Date: ${date}`) : `Date: ${date}\n${m}`;
    // Most robots number their reports; one message in ten is a plain re-send (a duplicate of an earlier case).
    if (r() < 0.9) m = `X-Report-Id: ${i}\n${m}`;
    m = m.replace(/^(>*From )/gm, '>$1');
    yield `From bench@bench.example ${new Date(Date.UTC(2025, 0, 1)).toUTCString()}\n${m}${m.endsWith('\n') ? '' : '\n'}\n`;
  }
}

/** Write the mbox without holding it in memory (the peak RSS reported is the import's). */
async function writeMbox(path: string, n: number): Promise<void> {
  const out = createWriteStream(path, { encoding: 'latin1' });
  for (const m of buildMbox(n)) if (!out.write(m)) await once(out, 'drain');
  out.end();
  await finished(out);
}

export async function runIntakeBench(opts: IntakeBenchOptions = {}): Promise<IntakeBenchResult> {
  const n = opts.messages ?? 10_000;
  const log = opts.log ?? ((l: string) => console.log(l));
  const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-intake-bench-'));
  try {
    const mbox = join(dir, 'complaints.mbox');
    await writeMbox(mbox, n);
    const mboxMiB = Math.round((await stat(mbox)).size / 104857.6) / 10;
    log(`intake: importing an mbox of ${n.toLocaleString('en-US')} messages (${mboxMiB} MiB) into ${dir} ...`);
    const store = await CaseStore.open(join(dir, 'data'));
    const t0 = performance.now();
    let done = 0;
    const summary = await importMessages(store, readMbox(mbox), {
      ourNets: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
      batchSize: 100,
      onMessage: () => { if (++done % 2000 === 0) log(`  ${done} messages, ${Math.round(done / ((performance.now() - t0) / 1000))}/s`); },
    });
    const importSeconds = (performance.now() - t0) / 1000;
    const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    await store.queue(); // warm
    const queueFirstScreen = await timeIt(opts.queries ?? 200, () => store.queue({ limit: 50 }));
    const queueDeepPage = await timeIt(Math.ceil((opts.queries ?? 200) / 4), (i) => store.queue({ limit: 50, offset: 1000 + i * 50 }));
    const q = await store.queue({ limit: 1 });
    await store.close();
    return {
      messages: summary.messages, mboxMiB, importSeconds: Math.round(importSeconds * 10) / 10,
      messagesPerSecond: Math.round(summary.messages / importSeconds), peakRssMiB, cases: summary.caseIds.length, counts: summary.counts,
      queueCounts: q.counts, queueFirstScreen, queueDeepPage, targets: { firstScreenP95Under200: queueFirstScreen.p95 < 200 },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printIntakeBench(res: IntakeBenchResult, log: (l: string) => void = console.log): void {
  log('');
  log(`intake, ${res.messages.toLocaleString('en-US')} messages (${res.mboxMiB} MiB mbox): ${res.importSeconds} s, ${res.messagesPerSecond} messages/s, peak RSS ${res.peakRssMiB} MiB`);
  log(`  ${Object.entries(res.counts).map(([k, v]) => `${v} ${k}`).join(', ')}; ${res.cases} cases`);
  log(`  queue: ${Object.entries(res.queueCounts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  log(`${'query'.padEnd(22)}${'median ms'.padStart(10)}${'p95 ms'.padStart(10)}${'n'.padStart(6)}`);
  for (const [k, v] of [['queue first screen', res.queueFirstScreen], ['queue page at 1000+', res.queueDeepPage]] as const) {
    log(`${k.padEnd(22)}${v.median.toFixed(2).padStart(10)}${v.p95.toFixed(2).padStart(10)}${String(v.n).padStart(6)}`);
  }
  log(`target: queue first screen p95 < 200 ms ${res.targets.firstScreenP95Under200 ? 'met' : 'MISSED'}`);
}
