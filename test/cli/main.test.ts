import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesDir } from '../helpers/paths';
import { cli, spawnCli } from './cli-runner';

/** In this process; the binary itself is run in 'the abuse-desk binary' below. */
const run = (args: string[], input?: string) => cli(args, { input });

describe('the abuse-desk binary (bin/abuse-desk.mjs in a child process)', () => {
  it('reads standard input, prints to standard output and exits 0, exactly as the command run in this process', async () => {
    const dir = join(casesDir, 'seed003-udp770-compromise');
    const complaint = readFileSync(join(dir, 'complaint.txt'), 'utf8');
    const args = ['analyze', '--complaint', '-', '--evidence', join(dir, 'lan-span.pcap')];
    const r = spawnCli(args, { input: complaint });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# Verdict: compromise/);
    expect(r).toEqual(await run(args, complaint));
  });

  it('exits 2 with the usage on standard error for an unknown command', async () => {
    const r = spawnCli(['frobnicate']);
    expect(r).toMatchObject({ status: 2, stdout: '' });
    expect(r.stderr).toMatch(/^abuse-desk: unknown command "frobnicate"\n\nabuse-desk: evidence-backed answers/);
    expect(r).toEqual(await run(['frobnicate']));
  });
});
