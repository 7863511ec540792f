/**
 * `npm run bench`: capture-reading throughput on one ≥ 1 GiB classic pcap.
 *
 *   (a) pcap-parser alone (1 MiB stream reads, packets counted)
 *   (b) ours end to end: readEvidenceFile (sniff, frame, decode every layer)
 *   (c) tcpdump -nr FILE > /dev/null
 *   (d) tshark -r FILE -q -z conv,tcp
 *   (e) our pcapng framer alone, on the same packets written as pcapng
 *
 * Each runs as its own child process under /usr/bin/time -v for its peak RSS.
 * The capture is synthetic (bench/synth.ts) and reused while it exists with the
 * same generator version. Results: a table on stdout and .bench/results.json.
 *
 * Options: --size-mib N (default 1024), --only a,b,... , --no-pcapng, --regenerate.
 *
 * Then the case store (bench/store.ts): 100,000 generated cases, list/search/open latencies.
 * `--only store` runs only that; --store-cases N changes the count.
 *
 * And intake (bench/intake.ts): an mbox of 10,000 messages imported, messages/s,
 * peak RSS, queue first-screen latency. `--only intake`; --intake-messages N.
 *
 * And start-up (bench/startup.ts): `--help` and `analyze` on each example case,
 * from the CLI bundle and through tsx, against the 200 ms / 600 ms targets.
 * `--only startup`; --startup-runs N.
 *
 * And the analyze fuzz (bench/fuzz.ts): 100,000 iterations of the whole analyze path,
 * crashes and hangs counted, the seed printed. `--only fuzz`; --iterations N, --seed S,
 * --budget-ms MS (per iteration), --fuzz-workers W, --at I (replay one iteration).
 *
 * And the capture shapes, the scale check and the profile (bench/shapes/entry.ts,
 * options in bench/shapes/args.ts): `--only shapes|flood|flood-x4|mixed|scan|web|scale|profile`,
 * --size S (200M, 1G, 4G).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesise } from './synth';
import { printStoreBench, runStoreBench } from './store';
import { printIntakeBench, runIntakeBench } from './intake';
import { printStartupBench, runStartupBench } from './startup';
import { runShapeBenches } from './shapes/entry';
import { fuzzDefaults, replayFuzz, runFuzzBench, type FuzzOptions } from './fuzz';

const GENERATOR_VERSION = 2;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.bench');
const pcapPath = join(outDir, 'big.pcap');
const pcapngPath = join(outDir, 'big.pcapng');
const metaPath = join(outDir, 'big.json');

interface Options { sizeMiB: number; only?: Set<string>; pcapng: boolean; regenerate: boolean; storeCases: number; intakeMessages: number; startupRuns: number; fuzz: FuzzOptions }

function parseArgs(argv: string[]): Options {
  const o: Options = { sizeMiB: 1024, pcapng: true, regenerate: false, storeCases: 100_000, intakeMessages: 10_000, startupRuns: 10, fuzz: fuzzDefaults() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--size-mib') o.sizeMiB = Number(argv[++i]);
    else if (a === '--only') o.only = new Set(argv[++i].split(','));
    else if (a === '--no-pcapng') o.pcapng = false;
    else if (a === '--regenerate') o.regenerate = true;
    else if (a === '--store-cases') o.storeCases = Number(argv[++i]);
    else if (a === '--intake-messages') o.intakeMessages = Number(argv[++i]);
    else if (a === '--startup-runs') o.startupRuns = Number(argv[++i]);
    else if (a === '--iterations') o.fuzz.iterations = Number(argv[++i]);
    else if (a === '--seed') o.fuzz.seed = Number(argv[++i]);
    else if (a === '--budget-ms') o.fuzz.budgetMs = Number(argv[++i]);
    else if (a === '--fuzz-workers') o.fuzz.workers = Number(argv[++i]);
    else if (a === '--at') o.fuzz.at = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

interface Meta { version: number; targetBytes: number; packets: number; pcapBytes: number; pcapngBytes?: number }

function ensureCapture(o: Options): Meta {
  const targetBytes = o.sizeMiB * 1024 * 1024;
  if (!o.regenerate && existsSync(metaPath) && existsSync(pcapPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
    const pcapngOk = !o.pcapng || (meta.pcapngBytes !== undefined && existsSync(pcapngPath) && statSync(pcapngPath).size === meta.pcapngBytes);
    if (meta.version === GENERATOR_VERSION && meta.targetBytes === targetBytes && statSync(pcapPath).size === meta.pcapBytes && pcapngOk) {
      console.log(`reusing ${pcapPath} (${mib(meta.pcapBytes)} MiB, ${meta.packets} packets)`);
      return meta;
    }
  }
  mkdirSync(outDir, { recursive: true });
  rmSync(metaPath, { force: true });
  if (!o.pcapng) rmSync(pcapngPath, { force: true });
  console.log(`writing ${pcapPath}${o.pcapng ? ' and big.pcapng' : ''} (${o.sizeMiB} MiB of synthetic traffic) ...`);
  const t0 = performance.now();
  let next = 0;
  const r = synthesise(pcapPath, targetBytes, o.pcapng ? pcapngPath : undefined, (bytes) => {
    if (bytes >= next) { process.stdout.write(`\r  ${mib(bytes)} MiB`); next = bytes + (64 << 20); }
  });
  const meta: Meta = { version: GENERATOR_VERSION, targetBytes, ...r };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  console.log(`\r  ${mib(r.pcapBytes)} MiB, ${r.packets} packets in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return meta;
}

const mib = (n: number): string => (n / 1048576).toFixed(0);

interface Measurement {
  id: string;
  name: string;
  command: string;
  file: string;
  fileBytes: number;
  seconds: number;
  mbPerSec: number;
  packetsPerSec: number;
  peakRssMiB: number | null;
  packets: number | null;
  ok: boolean;
  note?: string;
}

interface Job { id: string; name: string; argv: string[]; file: string; stdout: 'json' | 'discard' }

/** Run one job under /usr/bin/time -v; wall time from here, peak RSS from time(1). */
function measure(job: Job, knownPackets: number): Promise<Measurement> {
  const haveTime = existsSync('/usr/bin/time');
  const argv = haveTime ? ['/usr/bin/time', '-v', ...job.argv] : job.argv;
  const fileBytes = statSync(job.file).size;
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', job.stdout === 'json' ? 'pipe' : 'ignore', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      let packets: number | null = job.stdout === 'json' ? null : knownPackets;
      let childRss: number | undefined;
      if (job.stdout === 'json') {
        try {
          const r = JSON.parse(out.trim().split('\n').at(-1) ?? '') as { packets: number; maxRssKiB: number };
          packets = r.packets;
          childRss = r.maxRssKiB;
        } catch { /* reported below */ }
      }
      const ok = code === 0 && packets !== null;
      const peakKiB = rss ? Number(rss[1]) : childRss;
      const problems = err.split('\n').filter((l) => l && !/^\s|^Command being timed|Running as user/.test(l)).slice(0, 3).join(' | ');
      done({
        id: job.id, name: job.name, command: job.argv.join(' '), file: job.file, fileBytes,
        seconds: round(seconds, 3),
        mbPerSec: round(fileBytes / 1e6 / seconds, 1),
        packetsPerSec: Math.round((packets ?? knownPackets) / seconds),
        peakRssMiB: peakKiB !== undefined ? round(peakKiB / 1024, 1) : null,
        packets,
        ok,
        ...(ok ? {} : { note: `exit ${code}${problems ? `: ${problems}` : ''}` }),
      });
    });
  });
}

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

function tool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const shapes = await runShapeBenches(process.argv.slice(2), root);
  if (shapes.done) return;
  const o = parseArgs(shapes.rest);
  if (o.only && [...o.only].every((id) => id === 'store' || id === 'intake' || id === 'startup' || id === 'fuzz')) {
    if (o.only.has('store')) await storeBench(o);
    if (o.only.has('intake')) await intakeBench(o);
    if (o.only.has('startup')) startupBench(o);
    if (o.only.has('fuzz')) await fuzzBench(o);
    return;
  }
  const meta = ensureCapture(o);
  // Warm the page cache so the first measurement does not pay for the disk alone.
  spawnSync('sh', ['-c', `cat "${pcapPath}" > /dev/null`]);
  const tsx = ['node', '--import', 'tsx'];
  const jobs: Job[] = [
    { id: 'a', name: 'pcap-parser alone', argv: [...tsx, 'bench/children/pcap-parser.ts', pcapPath], file: pcapPath, stdout: 'json' },
    { id: 'b', name: 'ours end-to-end (readEvidenceFile)', argv: [...tsx, 'bench/children/ours.ts', pcapPath], file: pcapPath, stdout: 'json' },
    { id: 'c', name: 'tcpdump -nr', argv: ['tcpdump', '-nr', pcapPath], file: pcapPath, stdout: 'discard' },
    { id: 'd', name: 'tshark -q -z conv,tcp', argv: ['tshark', '-r', pcapPath, '-q', '-z', 'conv,tcp'], file: pcapPath, stdout: 'discard' },
  ];
  if (o.pcapng && meta.pcapngBytes !== undefined) {
    jobs.push({ id: 'e', name: 'ours pcapng framer alone (big.pcapng)', argv: [...tsx, 'bench/children/pcapng-framer.ts', pcapngPath], file: pcapngPath, stdout: 'json' });
  }
  const results: Measurement[] = [];
  for (const job of jobs) {
    if (o.only && !o.only.has(job.id)) continue;
    const bin = job.argv[0];
    if (bin !== 'node' && !tool(bin)) {
      console.log(`(${job.id}) ${job.name}: skipped, ${bin} is not installed`);
      continue;
    }
    if (job.file === pcapngPath) spawnSync('sh', ['-c', `cat "${pcapngPath}" > /dev/null`]);
    process.stdout.write(`(${job.id}) ${job.name} ... `);
    const m = await measure(job, meta.packets);
    if (m.ok && m.packets !== meta.packets) m.note = `counted ${m.packets} packets, the file has ${meta.packets}`;
    console.log(m.ok ? `${m.seconds} s` : `FAILED (${m.note})`);
    results.push(m);
  }

  printTable(results);
  const by = (id: string): Measurement | undefined => results.find((r) => r.id === id && r.ok);
  const ours = by('b');
  const ratios: Record<string, number> = {};
  if (ours) {
    const tshark = by('d');
    const parser = by('a');
    if (tshark) ratios.oursVsTshark = round(tshark.seconds / ours.seconds, 2);
    if (parser) ratios.oursVsPcapParser = round(parser.seconds / ours.seconds, 2);
    console.log('');
    if (tshark) console.log(`ours vs tshark:      ${ratios.oursVsTshark}x the speed (${ours.seconds} s vs ${tshark.seconds} s)`);
    if (parser) console.log(`ours vs pcap-parser: ${ratios.oursVsPcapParser}x the speed (${ours.seconds} s vs ${parser.seconds} s; ours also decodes every packet)`);
  }
  const json = {
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    capture: { file: pcapPath, bytes: meta.pcapBytes, packets: meta.packets, pcapng: meta.pcapngBytes !== undefined ? { file: pcapngPath, bytes: meta.pcapngBytes } : undefined },
    results,
    ratios,
  };
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nresults written to ${join(outDir, 'results.json')}`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
  if (!o.only || o.only.has('store')) await storeBench(o);
  if (!o.only || o.only.has('intake')) await intakeBench(o);
  if (!o.only || o.only.has('startup')) startupBench(o);
  if (!o.only || o.only.has('fuzz')) await fuzzBench(o);
}

async function fuzzBench(o: Options): Promise<void> {
  if (o.fuzz.at !== undefined) {
    if ((await replayFuzz({ ...o.fuzz, at: o.fuzz.at })) !== 0) process.exitCode = 1;
    return;
  }
  const r = await runFuzzBench(o.fuzz, root);
  if (r.crashes || r.hangs || r.completed < r.iterations) process.exitCode = 1;
}

function startupBench(o: Options): void {
  const rows = runStartupBench(root, { runs: o.startupRuns, casesDir: resolve(root, '..', 'shared', 'cases') });
  printStartupBench(rows);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'startup-results.json'), `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
  console.log(`\nresults written to ${join(outDir, 'startup-results.json')}`);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

async function intakeBench(o: Options): Promise<void> {
  const res = await runIntakeBench({ messages: o.intakeMessages });
  printIntakeBench(res);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'intake-results.json'), `${JSON.stringify({ date: new Date().toISOString(), ...res }, null, 2)}\n`);
  console.log(`\nresults written to ${join(outDir, 'intake-results.json')}`);
}

async function storeBench(o: Options): Promise<void> {
  const res = await runStoreBench({ cases: o.storeCases });
  printStoreBench(res);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'store-results.json'), `${JSON.stringify({ date: new Date().toISOString(), ...res }, null, 2)}\n`);
  console.log(`\nresults written to ${join(outDir, 'store-results.json')}`);
}

function printTable(rows: Measurement[]): void {
  const head = ['', 'measurement', 'seconds', 'MB/s', 'packets/s', 'peak RSS MiB', 'note'];
  const body = rows.map((r) => [r.id, r.name, r.seconds.toFixed(2), r.mbPerSec.toFixed(0), r.packetsPerSec.toLocaleString('en-US'), r.peakRssMiB?.toFixed(0) ?? '?', r.note ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log('');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

await main();
