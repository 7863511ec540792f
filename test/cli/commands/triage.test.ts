import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesDir, fixturesDir } from '../../helpers/paths';
import { cli } from '../cli-runner';

/** In this process (cli.test.ts runs the binary itself). */
const run = (args: string[], input?: string) => cli(args, { input });

describe('abuse-desk triage', () => {
  it('prints the provisional verdict, reasons and the commands', async () => {
    const r = await run(['triage', '--complaint', join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt'), '--our-net', '198.51.100.0/24']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# Provisional verdict: backscatter \(confidence 0\.\d+, provisional, pending evidence\)/);
    expect(r.stdout).toMatch(/## Evidence to pull \(times in UTC\)/);
    expect(r.stdout).toContain('TZ=UTC ra -n -r ARGUS_ARCHIVE -t 2025/12/18.00:25:00-2025/12/18.00:55:00');
  });

  it('reads standard input and an inventory, and prints JSON', async () => {
    const complaint = readFileSync(join(fixturesDir, 'triage', 'dns-answers.txt'), 'utf8');
    const r = await run(['triage', '--complaint', '-', '--our-net', '198.51.100.0/24', '--inventory', join(fixturesDir, 'triage', 'inventory.json'), '--json'], complaint);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.provisional).toMatchObject({ verdict: 'legitimate', provisional: true });
    expect(out.provisional.confidence).toBeLessThanOrEqual(0.7);
    expect(out.pull.map((p: { tool: string }) => p.tool)).toEqual(['tshark', 'tcpdump', 'tcpdump', 'ra', 'journalctl', 'zgrep']);
  });

  it('exits 2 on usage errors and unreadable files', async () => {
    expect((await run(['triage'])).status).toBe(2);
    expect((await run(['triage', '--complaint', '/nonexistent'])).stderr).toMatch(/cannot read the complaint/);
    expect((await run(['triage', '--complaint', '-', '--inventory', '/nonexistent'], 'x')).status).toBe(2);
  });
});
