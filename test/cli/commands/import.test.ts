import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../store/case-store';
import { abuseioSamples, toMbox } from '../../store/intake-helpers';
import { cli } from '../cli-runner';
import { dovecotSkip, dovecotTitle, startDovecot, type RunningDovecot } from '../../services/intake/dovecot';
import { startFakeImap, type FakeImap } from '../../services/intake/fake-imap';

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
    expect(text.stdout).toMatch(/^Queue: \d+ compromise, \d+ phishing, \d+ malware-hosting, \d+ other, \d+ spam, \d+ open-service, \d+ copyright, \d+ false-positive \(\d+ repeats?\)/);
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

describe('abuse-desk import imap:// against a hostile server', () => {
  const env = { AD_TEST_IMAP_PW: 'S3cret-pw' };
  const plainLogin = Buffer.from('\0operator\0S3cret-pw').toString('base64');
  let servers: FakeImap[] = [];
  afterEach(async () => { await Promise.all(servers.map((s) => s.stop())); servers = []; });
  const fake = async (o: Parameters<typeof startFakeImap>[0]) => { const s = await startFakeImap(o); servers.push(s); return s; };
  const importFrom = (s: FakeImap, ...flags: string[]) =>
    run(['import', `imap://operator@127.0.0.1:${s.port}/INBOX`, '--no-tls', '--password-env', 'AD_TEST_IMAP_PW', '--data-dir', join(dir, `hostile-${s.port}`), ...flags], env);
  /** Whether the client hung up before `ms` (the fake server never closes first). */
  const hungUp = (s: FakeImap, ms: number) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([s.clientHungUp, new Promise<'still open'>((r) => { timer = setTimeout(() => r('still open'), ms); })]).finally(() => clearTimeout(timer));
  };

  it('sends no password to a server without STARTTLS unless --allow-plaintext-login is given', async () => {
    const s = await fake({ authPlain: true });
    const refused = await importFrom(s);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`IMAP server 127\\.0\\.0\\.1:${s.port} offered no STARTTLS.*--allow-plaintext-login`));
    expect(s.cleartext()).not.toMatch(/AUTHENTICATE|LOGIN|S3cret-pw/);
    expect(s.cleartext()).not.toContain(plainLogin);
    expect(await hungUp(s, 5000)).not.toBe('still open');

    const allowed = await importFrom(s, '--allow-plaintext-login');
    expect(allowed.stderr).toBe('');
    expect(allowed.status).toBe(0);
    expect(s.cleartext()).toContain(plainLogin);
  });

  it('a refused login: exit 1 with the server\'s answer, the connection closed by the client', async () => {
    const s = await fake({ rejectLogin: true });
    const r = await importFrom(s, '--allow-plaintext-login');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${s.port} refused the login for operator: .*Invalid credentials`));
    expect(await hungUp(s, 5000)).not.toBe('still open');
  });

  it('a server that never greets: exit 1 naming the greeting after --connect-timeout', async () => {
    const s = await fake({ silent: true });
    const r = await importFrom(s, '--connect-timeout', '0.2');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${s.port} did not answer in time while waiting for the server's greeting \\(200 ms\\)`));
    expect(await hungUp(s, 5000)).not.toBe('still open');
    expect((await importFrom(s, '--command-timeout', 'soon')).stderr).toMatch(/--command-timeout: "soon" is not a number of seconds/);
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
    // This Dovecot has no TLS: the cleartext login is allowed for it explicitly.
    const first = await run(['import', url, '--no-tls', '--allow-plaintext-login', '--password-env', 'AD_TEST_IMAP_PW', '--data-dir', data, '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const s1 = JSON.parse(first.stdout);
    expect(s1.messages).toBe(samples.length);
    expect(s1.counts.created).toBe(samples.length);
    expect(first.stdout).not.toContain(server.password);

    const second = await run(['import', url, '--no-tls', '--allow-plaintext-login', '--password-env', 'AD_TEST_IMAP_PW', '--data-dir', data, '--json'], env);
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
