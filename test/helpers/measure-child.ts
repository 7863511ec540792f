import { spawnSync } from 'node:child_process';
import { bin } from '../cli/cli-runner';
import { repoRoot } from './paths';
import { requireTool } from './tools';

/**
 * One CLI command through the real binary in a child process, measured by
 * the kernel: GNU time's elapsed seconds (%e) and peak RSS (%M, KiB), with
 * `timeout -s KILL` so a hang ends as exit 137 at its budget instead of
 * stalling the run. For the hostile-input budgets: the bounds are generous
 * (a loaded 2-core machine), their point is no OOM, hang or quadratic time.
 */
export interface Measured {
  status: number | null;
  stdout: string;
  /** The command's own standard error, without time(1)'s line. */
  stderr: string;
  seconds: number;
  maxRssKb: number;
}

const MARK = 'abuse-desk-measure';

export function runMeasured(args: string[], budgetSeconds: number, env: Record<string, string> = {}): Measured {
  requireTool('time');
  requireTool('timeout');
  const r = spawnSync('time', ['-f', `${MARK} %e %M`, 'timeout', '-s', 'KILL', String(budgetSeconds), process.execPath, bin, ...args], {
    cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: (budgetSeconds + 60) * 1000,
    // Through tsx, the sources as they are (the bundle may be stale in a working tree).
    env: { ...process.env, ABUSE_DESK_NO_BUNDLE: '1', ...env },
  });
  if (r.error) throw r.error;
  const m = new RegExp(`${MARK} ([\\d.]+) (\\d+)\\n?$`).exec(r.stderr);
  if (!m) throw new Error(`no measurement from time(1) in: ${r.stderr.slice(-2000)}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.slice(0, m.index).replace(/Command (?:exited with non-zero status|terminated by signal) \d+\n$/, ''), seconds: Number(m[1]), maxRssKb: Number(m[2]) };
}

/** "12.3 s, 456 MB": for test names and logs. */
export function describeMeasured(r: Measured): string {
  return `${r.seconds.toFixed(1)} s, ${Math.round(r.maxRssKb / 1024)} MB peak RSS`;
}
