/**
 * The commands on the desk's shared PostgreSQL database (a throw-away
 * cluster) with --store: analyze --save stores the case there, import takes
 * mail into it, cases and queue read it back, and nothing goes into the data
 * folder's own store; the import takes the desk's lease on an IMAP mailbox
 * an app holds, so it fetches nothing then.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store';
import { casesDir } from '../helpers/paths';
import { pgTitle, postgresSkip, startPostgres, type PgCluster } from '../helpers/postgres';
import { tempDir } from '../electron/helpers';
import { startFakeImap } from '../services/intake/fake-imap';
import { cli } from './cli-runner';

const MBOX_DIR = join(import.meta.dirname, '../../../shared/corpus/complaints/abuseio');

describe.skipIf(!!postgresSkip)(pgTitle('--store on the shared database'), () => {
  let cluster: PgCluster;
  const tmp = tempDir('ad-store-flag-pg-');
  beforeAll(async () => { cluster = await startPostgres(); });
  afterAll(() => { cluster?.stop(); tmp.remove(); });

  it('analyze --save, import, cases and queue all work on the database, none in the data folder', async () => {
    const url = cluster.createDatabase();
    const data = join(tmp.dir, 'data');
    const seed = join(casesDir, 'seed003-udp770-compromise');
    const saved = await cli(['analyze', '--complaint', join(seed, 'complaint.txt'), '--evidence', join(seed, 'lan-span.pcap'), '--our-net', '198.51.100.0/24',
      '--save', '--store', url, '--data-dir', data, '--json']);
    expect(saved.status).toBe(0);
    expect(saved.stderr).toBe(`saved case 1\n`);
    const caseId = (JSON.parse(saved.stdout) as { savedCase: { id: number; dataDir: string } }).savedCase.id;
    const eml = join(MBOX_DIR, 'blocklistde__Blocklistde_Example_1.eml');
    const imported = await cli(['import', eml, '--store', url, '--data-dir', data, '--json']);
    expect(imported.status).toBe(0);
    expect((JSON.parse(imported.stdout) as { counts: { created: number } }).counts.created).toBe(1);
    const list = JSON.parse((await cli(['cases', 'list', '--store', url, '--json'])).stdout) as { items: Array<{ id: number }> };
    expect(list.items.map((c) => c.id).sort()).toEqual([caseId, caseId + 1].sort());
    const shown = JSON.parse((await cli(['cases', 'show', String(caseId), '--store', url, '--json'])).stdout) as { verdict: string; evidence: Array<{ originalName: string }> };
    expect(shown.evidence.map((e) => e.originalName)).toEqual(['lan-span.pcap']);
    const queue = JSON.parse((await cli(['queue', '--json'], { env: { ABUSE_DESK_STORE: url } })).stdout) as { items: Array<{ id: number }> };
    expect(queue.items.length).toBe(2);
    expect(existsSync(join(data, 'cases.sqlite'))).toBe(false);
  });

  it('an IMAP import while an app holds the mailbox fetches nothing and names the app', async () => {
    const url = cluster.createDatabase();
    const server = await startFakeImap({ messages: [readFileSync(join(MBOX_DIR, 'blocklistde__Blocklistde_Example_1.eml'))] });
    const app = await CaseStore.open(url, { operator: 'alice' });
    try {
      await app.leases.acquire(`imap:desk@127.0.0.1:${server.port}/INBOX`, 'alice on desk-1 (pid 1, app abc123)', 60_000);
      const args = ['import', `imap://desk@127.0.0.1:${server.port}/INBOX`, '--no-tls', '--allow-plaintext-login', '--password-env', 'AD_PW', '--store', url, '--data-dir', join(tmp.dir, 'd2')];
      const refused = await cli(args, { env: { AD_PW: 'pw' } });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^abuse-desk: not fetched: alice on desk-1 \(pid 1, app abc123\) fetches INBOX of desk at 127\.0\.0\.1 for the desk/);
      expect(server.cleartext()).toBe('');
      await app.leases.release(`imap:desk@127.0.0.1:${server.port}/INBOX`, 'alice on desk-1 (pid 1, app abc123)');
      const ok = await cli([...args, '--json'], { env: { AD_PW: 'pw' } });
      expect(ok.stderr).toBe('');
      expect((JSON.parse(ok.stdout) as { messages: number }).messages).toBe(1);
      expect(await app.leases.of(`imap:desk@127.0.0.1:${server.port}/INBOX`)).toBeNull(); // given back
    } finally {
      await app.close();
      await server.stop();
    }
  });
});
