/**
 * Start-up bench (`npm run bench -- --only startup`, also run at the end of
 * `npm run bench`): how long `abuse-desk --help` and `abuse-desk analyze` on
 * each example case in ../shared/cases take, the way an operator runs them,
 * from the bundle (dist/cli, build/build-cli.mjs) and, to compare, from the
 * sources through tsx (ABUSE_DESK_NO_BUNDLE=1). Targets (issue 9): `--help`
 * under 200 ms and each `analyze` under 600 ms of wall time. `npx` is timed
 * too: npm's own start-up comes on top of ours.
 *
 * Each command runs once to warm the page cache, then N times (--startup-runs,
 * default 10) under /usr/bin/time for its CPU time. Wall time is what a
 * loaded machine makes of it; CPU time (user + system) is what we spend.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleReason } from '../build/cli-stamp.mjs';

export interface StartupRow {
  name: string;
  mode: 'bundle' | 'tsx' | 'npx';
  argv: string[];
  runs: number;
  medianMs: number;
  minMs: number;
  /** Mean user + system CPU per run (null without /usr/bin/time). */
  cpuMs: number | null;
  /** The target wall time for this command, when it has one. */
  targetMs?: number;
  ok: boolean;
  note?: string;
}

export interface StartupOptions { runs: number; casesDir: string; log?: (line: string) => void }

interface Case { name: string; argv: string[]; verdict: string }

function exampleCases(dir: string): Case[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const expectedPath = join(dir, name, 'expected.json');
    if (!existsSync(expectedPath)) return [];
    const e = JSON.parse(readFileSync(expectedPath, 'utf8')) as { complaint: string; evidence: string[]; verdict: string };
    const argv = ['analyze', '--json', '--complaint', join(dir, name, e.complaint), ...e.evidence.flatMap((f) => ['--evidence', join(dir, name, f)])];
    return [{ name, argv, verdict: e.verdict }];
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Run `cmd` once: wall ms, CPU ms (from time(1)), exit status and stdout. */
function once(cmd: string[], root: string, env: NodeJS.ProcessEnv, timeFile: string | undefined): { wallMs: number; cpuMs: number | null; status: number | null; stdout: string; stderr: string } {
  const argv = timeFile ? ['/usr/bin/time', '-f', '%U %S', '-o', timeFile, ...cmd] : cmd;
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 });
  const wallMs = performance.now() - t0;
  let cpuMs: number | null = null;
  if (timeFile) {
    const m = /([\d.]+) ([\d.]+)\s*$/.exec(readFileSync(timeFile, 'utf8'));
    if (m) cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
  }
  return { wallMs, cpuMs, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function runStartupBench(root: string, o: StartupOptions): StartupRow[] {
  const log = o.log ?? ((line: string) => console.log(line));
  const why = staleReason(root, join(root, 'dist', 'cli'));
  if (why !== null) {
    log(`startup: the CLI bundle is not current (${why}); building it first`);
    const b = spawnSync(process.execPath, [join(root, 'build', 'build-cli.mjs')], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build/build-cli.mjs failed');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'abuse-desk-startup-'));
  const timeFile = existsSync('/usr/bin/time') ? join(tmp, 'time.txt') : undefined;
  const bin = join(root, 'bin', 'abuse-desk.mjs');
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const cases = exampleCases(o.casesDir);
  if (!cases.length) log(`startup: no example cases in ${o.casesDir}; timing --help only`);
  const jobs: Array<{ name: string; mode: StartupRow['mode']; cmd: string[]; targetMs?: number; verdict?: string }> = [];
  for (const mode of ['bundle', 'tsx'] as const) {
    jobs.push({ name: '--help', mode, cmd: [process.execPath, bin, '--help'], targetMs: mode === 'bundle' ? 200 : undefined });
    for (const c of cases) jobs.push({ name: `analyze ${c.name}`, mode, cmd: [process.execPath, bin, ...c.argv], targetMs: mode === 'bundle' ? 600 : undefined, verdict: c.verdict });
  }
  jobs.push({ name: '--help', mode: 'npx', cmd: [npx, '--no-install', 'abuse-desk', '--help'] });
  const rows: StartupRow[] = [];
  try {
    for (const job of jobs) {
      const env: NodeJS.ProcessEnv = { ...process.env, ABUSE_DESK_DEBUG: '1' };
      if (job.mode === 'tsx') env.ABUSE_DESK_NO_BUNDLE = '1';
      else delete env.ABUSE_DESK_NO_BUNDLE;
      const runs = job.mode === 'bundle' ? o.runs : Math.max(3, Math.ceil(o.runs / 3));
      process.stdout.write(`startup: ${job.mode} ${job.name} ... `);
      const first = once(job.cmd, root, env, timeFile);
      const problems: string[] = [];
      if (first.status !== 0) problems.push(`exit ${first.status}: ${first.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
      // ABUSE_DESK_DEBUG: the binary says on stderr when it did not run the bundle.
      if (job.mode !== 'tsx' && /running the sources through tsx/.test(first.stderr)) problems.push('ran the sources, not the bundle');
      if (job.verdict) {
        const verdict = (() => { try { return (JSON.parse(first.stdout) as { verdict?: string }).verdict; } catch { return undefined; } })();
        if (verdict !== job.verdict) problems.push(`verdict ${verdict ?? 'none'}, expected ${job.verdict}`);
      }
      const walls: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < runs && !problems.length; i++) {
        const r = once(job.cmd, root, env, timeFile);
        walls.push(r.wallMs);
        if (r.cpuMs !== null) cpus.push(r.cpuMs);
      }
      const row: StartupRow = {
        name: job.name, mode: job.mode, argv: job.cmd, runs: walls.length,
        medianMs: walls.length ? Math.round(median(walls)) : NaN,
        minMs: walls.length ? Math.round(Math.min(...walls)) : NaN,
        cpuMs: cpus.length ? Math.round(cpus.reduce((a, b) => a + b, 0) / cpus.length) : null,
        targetMs: job.targetMs,
        ok: problems.length === 0 && (job.targetMs === undefined || median(walls) < job.targetMs),
        ...(problems.length ? { note: problems.join('; ') } : {}),
      };
      if (!problems.length && job.targetMs !== undefined && !row.ok) row.note = `median over the ${job.targetMs} ms target`;
      console.log(problems.length ? `FAILED (${row.note})` : `${row.medianMs} ms`);
      rows.push(row);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}

export function printStartupBench(rows: StartupRow[]): void {
  const head = ['mode', 'command', 'median ms', 'min ms', 'CPU ms', 'target', 'note'];
  const body = rows.map((r) => [r.mode, r.name, String(r.medianMs), String(r.minMs), r.cpuMs === null ? '?' : String(r.cpuMs), r.targetMs ? `< ${r.targetMs}` : '', r.note ?? (r.targetMs ? 'ok' : '')]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log('');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}
