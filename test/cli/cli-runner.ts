/**
 * Running the command line from tests: `cli` in this process (cli/run-cli.ts,
 * no Node and tsx start-up per command), `spawnCli` through the real binary
 * (bin/abuse-desk.mjs) for the few tests that prove the binary itself works.
 * Both answer in the shape of spawnSync's result.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../cli/run-cli';
import { repoRoot } from '../helpers/paths';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Standard input. */
  input?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

export const bin = join(repoRoot, 'bin', 'abuse-desk.mjs');

/** One command in this process. */
export async function cli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, stdin: opts.input, env: opts.env });
  return { status, stdout, stderr };
}

/** One command through the binary, in a child process. */
export function spawnCli(args: string[], opts: CliOptions = {}): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', input: opts.input, timeout: 60_000, env: { ...process.env, ...opts.env } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
