import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One timed child process: wall seconds, and peak RSS and CPU seconds (user
 * + system) from GNU time (`/usr/bin/time -f '%e %M %U %S'`); without GNU
 * time, peak RSS from the child's VmHWM in /proc, sampled, and no CPU time.
 * CPU seconds matter on a shared machine, where wall time includes waiting. A watchdog sums the RSS of the child's process tree every
 * 250 ms and kills the tree past a cap (a tool holding one conversation per
 * forged source can take more memory than the machine has), or past a time
 * limit; the measurement then says so instead of a figure.
 */
export interface Run {
  seconds: number;
  peakRssMB: number | null;
  cpuSeconds: number | null;
  exitCode: number | null;
  /** Why the watchdog stopped it. */
  killed?: 'memory' | 'time';
  stdout: string;
  /** The first 2 KiB of stderr, and what went wrong: V8's fatal error line, else the last lines. */
  stderrHead: string;
  stderrTail: string;
}

export interface Limits { rssCapBytes: number; timeoutSeconds: number }

const GNU_TIME = '/usr/bin/time';

export function haveGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

export function timed(argv: string[], cwd: string, keepStdout: boolean, limits: Limits, env: Record<string, string> = {}): Promise<Run> {
  const timeFile = join(tmpdir(), `bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const wrapped = haveGnuTime() ? [GNU_TIME, '-o', timeFile, '-f', '%e %M %U %S', ...argv] : argv;
  return new Promise((done, fail) => {
    const t0 = performance.now();
    // Its own process group, so the watchdog can stop the tool and everything it started.
    const child = spawn(wrapped[0], wrapped.slice(1), { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    let head = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (head.length < 2048) head = (head + d.toString()).slice(0, 2048);
      err = (err + d.toString()).slice(-8192);
    });
    let killed: Run['killed'];
    let hwmKiB = 0;
    const watch = setInterval(() => {
      if (child.pid === undefined) return;
      const tree = processTree(child.pid);
      let rss = 0;
      for (const pid of tree) {
        const s = status(pid);
        rss += s.rssKiB;
        hwmKiB = Math.max(hwmKiB, s.hwmKiB);
      }
      const over = rss * 1024 > limits.rssCapBytes ? 'memory' : (performance.now() - t0) / 1000 > limits.timeoutSeconds ? 'time' : undefined;
      if (over && !killed) {
        killed = over;
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }, 250);
    child.on('error', (e) => { clearInterval(watch); fail(e); });
    child.on('close', (code) => {
      clearInterval(watch);
      const seconds = (performance.now() - t0) / 1000;
      let peakKiB: number | null = hwmKiB || null;
      let cpuSeconds: number | null = null;
      if (existsSync(timeFile)) {
        // GNU time writes "Command exited with non-zero status N" or "Command terminated by signal N" before the figures.
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '';
        const m = /^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$/.exec(last);
        if (m) {
          peakKiB = Math.max(Number(m[2]), hwmKiB);
          cpuSeconds = Math.round((Number(m[3]) + Number(m[4])) * 100) / 100;
        }
        rmSync(timeFile, { force: true });
      }
      let exitCode = code;
      // Through GNU time a killed child shows as time's status; keep ours.
      if (killed) exitCode = null;
      done({
        seconds: Math.round(seconds * 100) / 100,
        peakRssMB: peakKiB === null ? null : Math.round((peakKiB * 1024) / 1e6),
        cpuSeconds,
        exitCode,
        killed,
        stdout: Buffer.concat(out).toString(),
        stderrHead: head,
        stderrTail: problem(err),
      });
    });
  });
}

/** V8's fatal line (heap out of memory) says more than the native stack after it; else the last lines. */
function problem(stderr: string): string {
  const lines = stderr.split('\n').filter(Boolean);
  return lines.find((l) => /FATAL ERROR|out of memory/i.test(l)) ?? lines.slice(-4).join(' | ');
}

/** The pid and all its descendants, from /proc/PID/task/TID/children. */
function processTree(root: number): number[] {
  const all = [root];
  for (let i = 0; i < all.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${all[i]}/task`)) {
        const kids = readFileSync(`/proc/${all[i]}/task/${tid}/children`, 'utf8').trim();
        if (kids) all.push(...kids.split(' ').map(Number));
      }
    } catch { /* exited meanwhile */ }
  }
  return all;
}

function status(pid: number): { rssKiB: number; hwmKiB: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rssKiB: Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0), hwmKiB: Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0) };
  } catch {
    return { rssKiB: 0, hwmKiB: 0 };
  }
}
