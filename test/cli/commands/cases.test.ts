import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { casesDir } from '../../helpers/paths';
import { cli } from '../cli-runner';
import { tempDir } from '../../store/helpers';

/** The command line in this process (test/cli/cli.test.ts runs the binary itself). */
const run = (args: string[], env: Record<string, string> = {}) => cli(args, { env });

describe('abuse-desk analyze --save and cases', () => {
  it('saves a case, lists, searches, shows, re-analyses, exports and imports it', async () => {
    const { dir, cleanup } = await tempDir();
    const data = join(dir, 'data');
    const seed = join(casesDir, 'seed003-udp770-compromise');
    try {
      const saved = await run(['analyze', '--complaint', join(seed, 'complaint.txt'), '--evidence', join(seed, 'lan-span.pcap'), '--save', '--data-dir', data, '--json']);
      expect(saved.status).toBe(0);
      expect(JSON.parse(saved.stdout).savedCase).toEqual({ id: 1, existed: false, dataDir: data });
      // The same complaint again: the run is added to case 1. The data folder can come from the environment.
      const again = await run(['analyze', '--complaint', join(seed, 'complaint.txt'), '--evidence', join(seed, 'lan-span.pcap'), '--save'], { ABUSE_DESK_DATA_DIR: data });
      expect(again.stdout).toMatch(/already case 1/);

      const list = await run(['cases', 'list', '--data-dir', data, '--accused', '198.51.100.0/24', '--json']);
      expect(JSON.parse(list.stdout).items.map((c: { id: number; verdict: string }) => [c.id, c.verdict])).toEqual([[1, 'compromise']]);
      const search = await run(['cases', 'search', 'worm "770" (', '--data-dir', data]);
      expect(search.status).toBe(0);
      expect(search.stdout).toMatch(/^1 /m);
      const show = await run(['cases', 'show', '1', '--data-dir', data]);
      expect(show.status).toBe(0);
      expect(show.stdout).toMatch(/lan-span\.pcap: 17224 bytes, pcap, SHA-256 [0-9a-f]{64} \[VERIFIED\]/);
      expect(show.stdout).toMatch(/## Audit trail/);
      const re = await run(['cases', 'reanalyze', '1', '--data-dir', data]);
      expect(re.stdout).toMatch(/3 runs kept/);
      const bundle = join(dir, 'case1.tar');
      expect((await run(['cases', 'export', '1', '--out', bundle, '--data-dir', data])).status).toBe(0);
      const imported = await run(['cases', 'import', bundle, '--data-dir', join(dir, 'other'), '--json']);
      expect(JSON.parse(imported.stdout)).toEqual({ caseId: 1, existed: false });
      expect((await run(['cases', 'backup', '--out', join(dir, 'bk'), '--data-dir', data])).stdout).toMatch(/1 evidence file/);
      expect(await run(['cases', 'show', '99', '--data-dir', data])).toMatchObject({ status: 1, stderr: expect.stringMatching(/no case 99/) });
      expect((await run(['cases', 'list', '--status', 'lost', '--data-dir', data])).status).toBe(2);
    } finally {
      await cleanup();
    }
  });
});
