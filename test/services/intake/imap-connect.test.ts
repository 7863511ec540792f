import { afterEach, describe, expect, it } from 'vitest';
import { openImap } from '../../../services/intake/imap-connect';
import { fetchImap, ImapError, type ImapOptions } from '../../../services/intake/imap';
import type { IntakeMessage } from '../../../services/intake/message';
import { selfSignedCert, startFakeImap, type FakeImap, type FakeImapOptions } from './fake-imap';

const user = 'operator';
const password = 'S3cret-pw';
/** The password as a client could put it on the wire: LOGIN's quoted string, or AUTHENTICATE PLAIN's base64. */
const leaks = [password, Buffer.from(`\0${user}\0${password}`).toString('base64'), Buffer.from(`${user}\0${user}\0${password}`).toString('base64')];

let servers: FakeImap[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

async function fake(o: FakeImapOptions): Promise<FakeImap> {
  const s = await startFakeImap(o);
  servers.push(s);
  return s;
}

const optsFor = (s: FakeImap, more: Partial<ImapOptions> = {}): ImapOptions =>
  ({ host: '127.0.0.1', port: s.port, secure: false, user, password, ...more });

async function all(it: AsyncIterable<IntakeMessage>): Promise<IntakeMessage[]> {
  const out: IntakeMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

async function failure(p: Promise<unknown>): Promise<ImapError> {
  const e = await p.then(() => { throw new Error('expected the IMAP call to fail'); }, (x: unknown) => x);
  expect(e).toBeInstanceOf(ImapError);
  return e as ImapError;
}

/** Whether the client hung up before `ms`: a client that leaves the socket open never does (the fake server never closes first). */
function hungUpWithin(s: FakeImap, ms: number): Promise<'end' | 'close' | 'still open'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'still open'>((r) => { timer = setTimeout(() => r('still open'), ms); });
  return Promise.race([s.clientHungUp, deadline]).finally(() => clearTimeout(timer));
}

describe('IMAP without STARTTLS', () => {
  for (const authPlain of [false, true]) {
    it(`never sends the password (${authPlain ? 'AUTH=PLAIN' : 'LOGIN'} offered) and says the server offered no STARTTLS`, async () => {
      const s = await fake({ authPlain });
      const e = await failure(all(fetchImap({ ...optsFor(s), plaintextOptIn: '--allow-plaintext-login' }, { lastUid: 0 })));
      expect(e.failure).toBe('no-starttls');
      expect(e.message).toContain(`127.0.0.1:${s.port}`);
      expect(e.message).toMatch(/offered no STARTTLS/);
      expect(e.message).toContain('--allow-plaintext-login');
      const sent = s.cleartext();
      expect(sent).not.toMatch(/\b(LOGIN|AUTHENTICATE)\b/i);
      for (const l of leaks) expect(sent).not.toContain(l);
      expect(await hungUpWithin(s, 5000)).not.toBe('still open');
    });
  }

  it('logs in in clear only with the explicit opt-in', async () => {
    const s = await fake({});
    expect(await all(fetchImap(optsFor(s, { allowPlaintextLogin: true }), { lastUid: 0 }))).toEqual([]);
    expect(s.cleartext()).toMatch(new RegExp(`LOGIN "?${user}"? "?${password}"?`));
  });
});

describe('IMAP with STARTTLS', () => {
  const tls = selfSignedCert();

  it('upgrades before any credential: the password only crosses TLS', async () => {
    const s = await fake({ starttls: tls });
    expect(await all(fetchImap(optsFor(s, { allowSelfSigned: true }), { lastUid: 0 }))).toEqual([]);
    const clear = s.cleartext();
    expect(clear).toMatch(/STARTTLS\r\n/);
    expect(clear).not.toMatch(/\b(LOGIN|AUTHENTICATE)\b/i);
    for (const l of leaks) expect(clear).not.toContain(l);
    const secure = s.received.filter((r) => r.overTls).map((r) => r.text).join('');
    expect(secure).toMatch(new RegExp(`LOGIN "?${user}"? "?${password}"?`));
  });

  it('refuses a certificate it was not told to trust, before any credential', async () => {
    const s = await fake({ starttls: tls });
    const e = await failure(all(fetchImap(optsFor(s), { lastUid: 0 })));
    expect(e.message).toContain(`127.0.0.1:${s.port}`);
    expect(s.received.some((r) => r.overTls)).toBe(false);
    for (const l of leaks) expect(s.cleartext()).not.toContain(l);
  });
});

describe('IMAP failures close the connection', () => {
  it('a refused login: the error names the server, and the client hangs up at once', async () => {
    const s = await fake({ rejectLogin: true });
    const e = await failure(all(fetchImap(optsFor(s, { allowPlaintextLogin: true }), { lastUid: 0 })));
    expect(e.failure).toBe('login-refused');
    expect(e.message).toMatch(new RegExp(`127\\.0\\.0\\.1:${s.port} refused the login for ${user}: .*Invalid credentials`));
    expect(await hungUpWithin(s, 5000)).not.toBe('still open');
  });

  it('a server that accepts and never greets: a greeting timeout that says so', async () => {
    const s = await fake({ silent: true });
    const e = await failure(all(fetchImap(optsFor(s, { timeouts: { greetingMs: 200 } }), { lastUid: 0 })));
    expect(e).toMatchObject({ failure: 'timeout', phase: 'greeting', server: `127.0.0.1:${s.port}` });
    expect(e.message).toMatch(/did not answer in time while waiting for the server's greeting \(200 ms\)/);
    expect(await hungUpWithin(s, 5000)).not.toBe('still open');
  });

  it('a server silent after the login command: a login timeout', async () => {
    const s = await fake({ silentOn: 'LOGIN' });
    const e = await failure(openImap({ ...optsFor(s), allowPlaintextLogin: true, timeouts: { loginMs: 300 } }));
    expect(e).toMatchObject({ failure: 'timeout', phase: 'login' });
    expect(e.message).toMatch(/while logging in \(300 ms\)/);
    expect(await hungUpWithin(s, 5000)).not.toBe('still open');
  });

  it('a server silent on a later command: that command timed out, then the client hangs up', async () => {
    const s = await fake({ silentOn: 'EXAMINE' });
    const e = await failure(all(fetchImap(optsFor(s, { allowPlaintextLogin: true, timeouts: { commandMs: 300 } }), { lastUid: 0 })));
    expect(e).toMatchObject({ failure: 'timeout', phase: 'EXAMINE' });
    expect(e.message).toMatch(new RegExp(`IMAP server 127\\.0\\.0\\.1:${s.port} did not answer in time while waiting for the answer to EXAMINE`));
    expect(await hungUpWithin(s, 5000)).not.toBe('still open');
  });

  it('a refused connection names the server', async () => {
    const s = await fake({});
    const port = s.port;
    await s.stop();
    servers = [];
    const e = await failure(all(fetchImap({ host: '127.0.0.1', port, secure: false, user, password }, { lastUid: 0 })));
    expect(e).toMatchObject({ failure: 'failed', phase: 'connect' });
    expect(e.message).toBe(`IMAP server 127.0.0.1:${port}: connecting failed: the connection was refused`);
  });
});
