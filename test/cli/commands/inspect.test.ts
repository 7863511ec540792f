import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesDir, corpusDir, fixturesDir, repoRoot } from '../../helpers/paths';
import { cli } from '../cli-runner';

const run = (args: string[], input?: string) => cli(args, { input });

describe('abuse-desk inspect', () => {
  it('reports each file, good or bad, and goes on after a bad one', async () => {
    const files = [
      join(corpusDir, 'pcapng', 'chrissanders__synscan.pcapng'),
      join(fixturesDir, 'pcap', 'syn-scan-truncated.pcap'),
      join(fixturesDir, 'netfilter', 'psad-syn.log'),
      join(repoRoot, 'README.md'),
    ];
    const r = await run(['inspect', '--json', ...files]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { files: Array<Record<string, unknown>> };
    expect(out.files.map((f) => f.format)).toEqual(['pcapng', 'pcap', 'netfilter', 'unknown']);
    const [synscan, truncated, netfilter, readme] = out.files;
    expect(synscan).toMatchObject({ records: 2011, linkTypes: ['ETHERNET'], firstTs: expect.stringMatching(/^2010-07-04 20:24:16\.\d+ UTC$/) });
    expect((synscan.topTalkers as Array<{ address: string }>)[0].address).toBe('172.16.0.8');
    expect(truncated.records).toBe(199);
    expect(truncated.error).toMatch(/cut/);
    expect(netfilter.records).toBe(10);
    expect(netfilter.timeInferred).toBe(true);
    expect(readme.error).toMatch(/not a format we read/);
  });

  it('prints a readable report without --json', async () => {
    const r = await run(['inspect', join(casesDir, 'seed003-udp770-compromise', 'lan-span.pcap')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/format: +pcap \(ETHERNET\)/);
    expect(r.stdout).toMatch(/packets +150/);
    expect(r.stdout).toMatch(/198\.51\.100\.90/);
  });
});
