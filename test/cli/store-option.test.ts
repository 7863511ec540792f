/**
 * `--store` on the commands that open the case store (analyze --save, cases,
 * queue, import, serve): only a postgres:// address is taken (the local
 * store is --data-dir's), its password never echoed; and the commands record
 * changes under the operator of the data folder's desk settings (else the OS
 * user). The shared database itself: store-option.slow.test.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeskSettingsStore } from '../../host/desk-settings-store';
import { casesDir } from '../helpers/paths';
import { tempDir } from '../electron/helpers';
import { cli } from './cli-runner';

const tmp = tempDir('ad-store-option-');
afterAll(() => tmp.remove());
const complaint = join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt');

describe('--store', () => {
  it.each([
    ['queue', ['queue', '--store', '/srv/cases']],
    ['cases list', ['cases', 'list', '--store', 'sqlite:/srv/cases']],
    ['import', ['import', complaint, '--store', 'mysql://desk@db/abuse']],
    ['serve', ['serve', '--store', 'https://db.example.net/abuse']],
  ])('%s refuses what is not a postgres:// address (usage, exit 2)', async (_c, args) => {
    const r = await cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--store: ".*" is not a postgres:\/\/ address/);
  });

  it('never echoes a password given in a refused address, and $ABUSE_DESK_STORE is checked the same way', async () => {
    const r = await cli(['queue'], { env: { ABUSE_DESK_STORE: 'postgre://desk:S3cret@db/abuse' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('postgre://desk:***@db/abuse');
    expect(r.stderr).not.toContain('S3cret');
  });

  it('goes with --save on analyze', async () => {
    const r = await cli(['analyze', '--complaint', complaint, '--store', 'postgres://desk@127.0.0.1:1/abuse']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--store is for --save');
  });

  it("records the case under the data folder's operator (desk settings)", async () => {
    const data = join(tmp.dir, 'data');
    mkdirSync(data, { recursive: true });
    new DeskSettingsStore(data).set({ operator: 'dana' });
    const saved = await cli(['analyze', '--complaint', complaint, '--save', '--data-dir', data, '--json'], { env: { ABUSE_DESK_STORE: undefined as unknown as string } });
    expect(saved.status).toBe(0);
    const id = (JSON.parse(saved.stdout) as { savedCase: { id: number } }).savedCase.id;
    const shown = await cli(['cases', 'show', String(id), '--data-dir', data, '--json']);
    const audit = (JSON.parse(shown.stdout) as { audit: Array<{ action: string; operator: string }> }).audit;
    expect(audit.map((a) => a.operator)).toEqual(audit.map(() => 'dana'));
  });
});
