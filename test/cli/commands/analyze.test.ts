import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesDir } from '../../helpers/paths';
import { cli } from '../cli-runner';

const run = (args: string[], input?: string) => cli(args, { input });

describe('abuse-desk analyze', () => {
  it('reads the complaint from standard input and prints Markdown', async () => {
    const dir = join(casesDir, 'seed003-udp770-compromise');
    const complaint = readFileSync(join(dir, 'complaint.txt'), 'utf8');
    const r = await run(['analyze', '--complaint', '-', '--evidence', join(dir, 'lan-span.pcap')], complaint);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# Verdict: compromise/);
    expect(r.stdout).toMatch(/## Reply draft/);
  });

  it('exits 2 with a clear message for usage errors and unreadable complaints', async () => {
    const missing = await run(['analyze', '--evidence', 'x.pcap']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/needs --complaint/);
    const unreadable = await run(['analyze', '--complaint', '/nonexistent/complaint.eml']);
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toMatch(/cannot read the complaint \/nonexistent\/complaint\.eml/);
    expect((await run(['frobnicate'])).status).toBe(2);
  });

  it('completes with a missing evidence file and says which', async () => {
    const dir = join(casesDir, 'seed001-nat-legit');
    const r = await run(['analyze', '--json', '--complaint', join(dir, 'complaint.txt'), '--evidence', join(dir, 'mirror.pcap'), '--evidence', '/nonexistent/x.pcap']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schemaVersion).toBe(1);
    expect(out.verdict).toBe('legitimate');
    expect(out.warnings.join('\n')).toMatch(/x\.pcap: cannot read/);
  });
});

describe('abuse-desk analyze --action', () => {
  const dir = join(casesDir, 'seed003-udp770-compromise');
  const args = ['analyze', '--json', '--complaint', join(dir, 'complaint.txt'), '--evidence', join(dir, 'lan-span.pcap')];
  const body = async (extra: string[]): Promise<string> => {
    const r = await run([...args, ...extra]);
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { draft: { body: string } }).draft.body;
  };

  it('states no action by default or with "none", and exactly the chosen ones otherwise', async () => {
    for (const b of [await body([]), await body(['--action', 'none'])]) expect(b).not.toMatch(/isolat|filtered|notified|acting on it/i);
    const chosen = await body(['--action', 'isolated', '--action', 'customer-notified']);
    expect(chosen).toContain('We have isolated 198.51.100.90 from the network and notified our customer.');
    expect(chosen).not.toMatch(/filtered/);
  });

  it('refuses an unknown action, and "none" with another, as usage errors; --help lists the flag', async () => {
    const bad = await run([...args, '--action', 'nuked']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--action: unknown action "nuked"/);
    const both = await run([...args, '--action', 'none', '--action', 'filtered']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--action none cannot be combined/);
    expect((await run(['analyze', '--help'])).stdout).toMatch(/--action A +what we did, stated in the reply \(repeatable\): filtered, isolated,\n +customer-notified, or none/);
  });
});
