import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { abuseioSamples, toMbox } from '../../store/intake-helpers';
import { tempDir } from '../../store/helpers';
import { cli } from '../cli-runner';

describe('abuse-desk queue', () => {
  it('an empty store says so; after importing AbuseIO mails every open case is listed once with its class and reason; --json agrees', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const data = join(dir, 'data');
      const empty = await cli(['queue', '--data-dir', data]);
      expect(empty.status).toBe(0);
      expect(empty.stdout).toMatch(/^Queue: 0 compromise, /);
      const samples = abuseioSamples().slice(0, 8);
      writeFileSync(join(dir, 'in.mbox'), toMbox(samples.map((s) => s.raw)));
      expect((await cli(['import', '--data-dir', data, join(dir, 'in.mbox')])).status).toBe(0);
      const text = await cli(['queue', '--data-dir', data, '--limit', '100']);
      const json = JSON.parse((await cli(['queue', '--data-dir', data, '--limit', '100', '--json'])).stdout) as { items: Array<{ id: number; queueClass: string }> };
      const rows = text.stdout.trimEnd().split('\n').slice(1);
      expect(rows.map((r) => Number(r.trim().split(/\s+/)[0]))).toEqual(json.items.map((i) => i.id));
      expect(json.items.length).toBeGreaterThan(0);
      expect((await cli(['queue', '--data-dir', data, '--class', 'urgent'])).status).toBe(2);
    } finally {
      await cleanup();
    }
  });
});
