/**
 * A real Dovecot (Debian's dovecot-imapd) on 127.0.0.1 with a throw-away
 * configuration: passwd-file user "tester"/"secret",
 * Maildir in a temp dir, no TLS. Mail belongs to the "dovecot" user and
 * logins run as "dovenull" (Dovecot refuses uid 0 for both).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

const dovecot = '/usr/sbin/dovecot';

/** Why Dovecot tests cannot run here, or null. */
export const dovecotMissing = ((): string | null => {
  if (spawnSync('sh', ['-c', `test -x ${dovecot}`]).status !== 0) return 'dovecot is not installed (apt-get install dovecot-imapd)';
  if (process.getuid?.() !== 0) return 'the test starts dovecot as root (mail uid "dovecot", login user "dovenull")';
  if (spawnSync('id', ['dovecot']).status !== 0 || spawnSync('id', ['dovenull']).status !== 0) return 'the dovecot/dovenull users are missing';
  return null;
})();

/** CI (CI=true, as .ci/run sets it) installs Dovecot and runs as root: there the tests must run, not skip. */
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Why the Dovecot tests are skipped here, or null when they run. Outside CI a
 * machine without Dovecot (or not root) skips them with that reason; in CI
 * they run and fail in startDovecot with the reason.
 */
export const dovecotSkip: string | null = inCi ? null : dovecotMissing;

/** A describe title that carries the skip reason, as the run summary expects: "title (skipped: why)". */
export const dovecotTitle = (title: string): string => (dovecotSkip ? `${title} (skipped: ${dovecotSkip})` : title);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

export interface RunningDovecot {
  port: number;
  user: string;
  password: string;
  /** A logged-in client (the caller logs it out). */
  client(): Promise<ImapFlow>;
  stop(): void;
}

/** Start Dovecot and APPEND `seed` to INBOX. */
export async function startDovecot(seed: Uint8Array[]): Promise<RunningDovecot> {
  if (dovecotMissing) throw new Error(`Dovecot is required here (CI=${process.env.CI ?? ''}) but cannot run: ${dovecotMissing}`);
  const dir = mkdtempSync(join(tmpdir(), 'dovecot-'));
  chmodSync(dir, 0o755);
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d));
  const id = (flag: string) => Number(execFileSync('id', [flag, 'dovecot'], { encoding: 'utf8' }).trim());
  chownSync(join(dir, 'mail'), id('-u'), id('-g'));
  writeFileSync(join(dir, 'passwd'), 'tester:{PLAIN}secret::::::\n');
  const port = await freePort();
  const conf = join(dir, 'dovecot.conf');
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
  // A throw-away server: kill its process group at once. `dovecot stop` (SIGTERM)
  // waits about 3 s for the services to wind down, per server, per test file.
  const stop = (): void => {
    try {
      const pid = Number(readFileSync(join(dir, 'run', 'master.pid'), 'utf8').trim());
      if (!(pid > 1)) throw new Error('no master pid');
      process.kill(-pid, 'SIGKILL');
    } catch {
      spawnSync(dovecot, ['-c', conf, 'stop'], { stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const connect = async (): Promise<ImapFlow> => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: 'tester', pass: 'secret' }, logger: false, doSTARTTLS: false });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  let client: ImapFlow | undefined;
  for (let i = 0; i < 50 && !client; i++) {
    try { client = await connect(); } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  if (!client) {
    const log = readFileSync(join(dir, 'dovecot.log'), 'utf8');
    stop();
    throw new Error(`dovecot did not accept a login: ${log}`);
  }
  for (const raw of seed) await client.append('INBOX', Buffer.from(raw));
  await client.logout();
  return { port, user: 'tester', password: 'secret', client: connect, stop };
}
