import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store';
import { abuseioSamples, toMbox } from '../store/intake-helpers';
import { cli } from './cli-runner';
import { dovecotSkip, dovecotTitle, startDovecot, type RunningDovecot } from './intake/dovecot';

/** The command line in this process (cli.test.ts runs the binary itself). */
const run = (args: string[], env: Record<string, string> = {}) => cli(args, { env });

const dir = mkdtempSync(join(tmpdir(), 'ad-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const samples = abuseioSamples();

describe('abuse-desk import and queue', () => {
  it('imports an mbox, twice without duplicates, and lists the ranked queue', async () => {
    const data = join(dir, 'local');
    const mbox = join(dir, 'in.mbox');
    writeFileSync(mbox, toMbox(samples.slice(0, 8).map((s) => s.raw)));
    const first = await run(['import', mbox, '--data-dir', data, '--our-net', '10.0.0.0/8', '--our-net', '172.16.0.0/12', '--json']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const s1 = JSON.parse(first.stdout);
    expect(s1.messages).toBe(8);
    expect(s1.counts.created).toBeGreaterThan(0);
    const second = await run(['import', mbox, '--data-dir', data]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/0 new cases, .* 8 already imported/);

    const q = await run(['queue', '--data-dir', data, '--json']);
    expect(q.status).toBe(0);
    const page = JSON.parse(q.stdout);
    expect(page.items).toHaveLength(s1.counts.created);
    expect(page.items[0].rankReason).toMatch(/\w/);
    const text = await run(['queue', '--data-dir', data]);
    expect(text.stdout).toMatch(/^Queue: \d+ compromise, \d+ repeat, \d+ other, \d+ false-positive/);
  });

  it('refuses a password in the address, a missing password variable and an unreadable path (exit 2)', async () => {
    expect((await run(['import', 'imap://u:pw@127.0.0.1/INBOX', '--data-dir', join(dir, 'x')])).stderr).toMatch(/no password in the imap:\/\/ address/);
    const noVar = await run(['import', 'imap://u@127.0.0.1/INBOX', '--password-env', 'AD_TEST_NO_SUCH_VAR', '--data-dir', join(dir, 'x')]);
    expect(noVar.status).toBe(2);
    expect(noVar.stderr).toMatch(/AD_TEST_NO_SUCH_VAR/);
    const missing = await run(['import', join(dir, 'nope.mbox'), '--data-dir', join(dir, 'x')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });
});

describe.skipIf(dovecotSkip !== null)(dovecotTitle('abuse-desk import imap:// against Dovecot'), () => {
  let server: RunningDovecot;
  beforeAll(async () => { server = await startDovecot(samples.map((s) => s.raw)); });
  afterAll(() => server?.stop());

  it('imports the folder, keeps the UID cursor in the store, and a second run imports nothing new; nothing on the server changes', async () => {
    const data = join(dir, 'imap');
    const url = `imap://tester@127.0.0.1:${server.port}/INBOX`;
    const env = { AD_TEST_IMAP_PW: server.password };
    const first = await run(['import', url, '--no-tls', '--password-env', 'AD_TEST_IMAP_PW', '--data-dir', data, '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const s1 = JSON.parse(first.stdout);
    expect(s1.messages).toBe(samples.length);
    expect(s1.counts.created).toBe(samples.length);
    expect(first.stdout).not.toContain(server.password);

    const second = await run(['import', url, '--no-tls', '--password-env', 'AD_TEST_IMAP_PW', '--data-dir', data, '--json'], env);
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ messages: 0, caseIds: [] });

    const store = await CaseStore.open(data);
    try {
      expect(await store.getImapCursor(`tester@127.0.0.1:${server.port}`, 'INBOX')).toMatchObject({ lastUid: samples.length, uidValidity: expect.stringMatching(/^\d+$/) });
      const msgs = await store.messagesOf(s1.caseIds[0]);
      expect(msgs[0]).toMatchObject({ sourceKind: 'imap', sourceUid: 1, sourceLocation: `tester@127.0.0.1:${server.port}/INBOX` });
    } finally {
      await store.close();
    }
    const c = await server.client();
    const status = await c.status('INBOX', { messages: true, unseen: true });
    await c.logout();
    expect(status).toMatchObject({ messages: samples.length, unseen: samples.length });
  });
});
