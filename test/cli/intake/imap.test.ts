import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchImap, type ImapCursor, type ImapOptions } from '../../../cli/intake/imap';
import type { IntakeMessage } from '../../../cli/intake/message';
import { corpusDir } from '../../helpers/paths';

/**
 * A real Dovecot (Debian's dovecot-imapd) on 127.0.0.1 with a throw-away
 * configuration: passwd-file user, Maildir in a temp dir, no TLS. Dovecot
 * refuses uid 0 for mail and root for its login process, so mail belongs to
 * the "dovecot" user and logins run as "dovenull" (both created by the package).
 */
const dovecot = '/usr/sbin/dovecot';
const why = ((): string | null => {
  if (spawnSync('sh', ['-c', `test -x ${dovecot}`]).status !== 0) return 'dovecot is not installed (apt-get install dovecot-imapd)';
  if (process.getuid?.() !== 0) return 'the test starts dovecot as root (mail uid "dovecot", login user "dovenull")';
  if (spawnSync('id', ['dovecot']).status !== 0 || spawnSync('id', ['dovenull']).status !== 0) return 'the dovecot/dovenull users are missing';
  return null;
})();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

function samples(): Buffer[] {
  const d = join(corpusDir, 'complaints', 'abuseio');
  return readdirSync(d).filter((n) => n.endsWith('.eml')).sort().map((name) => {
    let raw = readFileSync(join(d, name));
    if (raw.subarray(0, 5).toString('latin1') === 'From ') raw = raw.subarray(raw.indexOf(0x0a) + 1);
    return raw;
  });
}

async function all(it: AsyncIterable<IntakeMessage>): Promise<IntakeMessage[]> {
  const out: IntakeMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

describe.skipIf(why !== null)(`IMAP intake against Dovecot${why ? ` (skipped: ${why})` : ''}`, () => {
  let dir = '';
  let conf = '';
  let opts: ImapOptions;
  const seeded = samples();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dovecot-'));
    chmodSync(dir, 0o755); // dovenull and dovecot must reach run/ and mail/
    for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d));
    const ids = (name: string) => Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    chownSync(join(dir, 'mail'), ids('dovecot'), Number(execFileSync('id', ['-g', 'dovecot'], { encoding: 'utf8' }).trim()));
    writeFileSync(join(dir, 'passwd'), 'tester:{PLAIN}secret::::::\n');
    const port = await freePort();
    conf = join(dir, 'dovecot.conf');
    writeFileSync(conf, [
      `base_dir = ${dir}/run`, `state_dir = ${dir}/state`, `log_path = ${dir}/dovecot.log`,
      'protocols = imap', 'listen = 127.0.0.1', 'first_valid_uid = 1', 'ssl = no', 'disable_plaintext_auth = no', 'auth_mechanisms = plain login',
      'default_internal_user = dovecot', 'default_internal_group = dovecot', 'default_login_user = dovenull',
      `mail_location = maildir:${dir}/mail/%u`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/passwd\n}`,
      `userdb {\n  driver = static\n  args = uid=dovecot gid=dovecot home=${dir}/mail/%u\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n  chroot =\n}`,
      'service anvil {\n  chroot =\n}',
      '',
    ].join('\n'));
    // The daemon keeps inherited pipes open: give it none, or execFileSync waits forever.
    execFileSync(dovecot, ['-c', conf], { stdio: 'ignore' });
    opts = { host: '127.0.0.1', port, secure: false, user: 'tester', password: 'secret', mailbox: 'INBOX' };
    // Seed the mailbox with APPEND, as a mail client would; wait for the server to accept logins.
    let client: ImapFlow | undefined;
    for (let i = 0; i < 50 && !client; i++) {
      const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: 'tester', pass: 'secret' }, logger: false, tls: { rejectUnauthorized: false }, doSTARTTLS: false });
      c.on('error', () => undefined);
      try { await c.connect(); client = c; } catch { c.close(); await new Promise((r) => setTimeout(r, 100)); }
    }
    if (!client) throw new Error(`dovecot did not accept a login: ${readFileSync(join(dir, 'dovecot.log'), 'utf8')}`);
    for (const raw of seeded) await client.append('INBOX', raw);
    await client.logout();
  });

  afterAll(() => {
    if (conf) spawnSync(dovecot, ['-c', conf, 'stop'], { stdio: 'ignore' });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fetches every seeded message once, unread, and a second fetch returns none new', async () => {
    const cursor: ImapCursor = { lastUid: 0 };
    const first = await all(fetchImap(opts, cursor));
    expect(first).toHaveLength(seeded.length);
    expect(new Set(first.map((m) => (m.source as { uid: number }).uid)).size).toBe(seeded.length);
    expect(first.map((m) => Buffer.from(m.raw).toString('latin1').replace(/\r\n/g, '\n').trimEnd()))
      .toEqual(seeded.map((r) => r.toString('latin1').replace(/\r\n/g, '\n').trimEnd()));
    expect(cursor.lastUid).toBe(seeded.length);
    expect(cursor.uidValidity).toMatch(/^\d+$/);
    expect(await all(fetchImap(opts, cursor))).toEqual([]);

    // Read-only: nothing was marked seen, deleted or moved.
    const c = new ImapFlow({ host: opts.host, port: opts.port, secure: false, auth: { user: 'tester', pass: 'secret' }, logger: false, doSTARTTLS: false });
    await c.connect();
    const status = await c.status('INBOX', { messages: true, unseen: true });
    await c.logout();
    expect(status).toMatchObject({ messages: seeded.length, unseen: seeded.length });
  });

  it('fetches only what arrived since, and marks it seen when asked', async () => {
    const cursor: ImapCursor = { lastUid: 0 };
    await all(fetchImap(opts, cursor));
    const c = new ImapFlow({ host: opts.host, port: opts.port, secure: false, auth: { user: 'tester', pass: 'secret' }, logger: false, doSTARTTLS: false });
    await c.connect();
    await c.append('INBOX', seeded[0]);
    await c.logout();
    const next = await all(fetchImap({ ...opts, markSeen: true }, cursor));
    expect(next).toHaveLength(1);
    expect((next[0].source as { uid: number }).uid).toBe(seeded.length + 1);
    const c2 = new ImapFlow({ host: opts.host, port: opts.port, secure: false, auth: { user: 'tester', pass: 'secret' }, logger: false, doSTARTTLS: false });
    await c2.connect();
    const status = await c2.status('INBOX', { messages: true, unseen: true });
    await c2.logout();
    expect(status).toMatchObject({ messages: seeded.length + 1 });
    expect(status && status.unseen).toBe(seeded.length); // the new one was marked seen
  });
});
