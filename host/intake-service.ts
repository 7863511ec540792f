/**
 * Complaint mail into the case store, for Electron main and `serve` (no
 * Electron import): local mailboxes (mbox, Maildir, folders of .eml, .eml
 * files) and one IMAP account, fetched on demand and by a timer at the
 * operator's interval. The messages go through store/intake.ts (parse, first
 * look, join or open a case); the IMAP UID cursor is the store's, shared with
 * `abuse-desk import imap://…`.
 *
 * The account (host, user, folder…) is DATA/imap-account.json; the password
 * is in a SecretBox (secrets.ts) and never leaves this process.
 *
 * Apps of a desk sharing one store fetch a mailbox one at a time: a fetch
 * first takes the store's lease on it (store/leases.ts) and keeps it past the
 * timer's interval, so one app fetches for the desk; another app's fetch is
 * refused ('busy') naming the app that holds it. The cursor is read after the
 * lease is taken, so no message is fetched twice.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ImapConnectOptions, ImapSession, ImapTimeouts } from '../services/intake/imap-connect';
import type { ImapAccountView, ImapFetchStatus, ImapTestReply, ImportSummary, ParsedRequestOf } from '../electron/common/contract';
import { CodedError } from '../electron/common/result';
import type { CaseStore } from '../store/case-store';
import type { StoreHost } from './case-service';
import type { SecretBox } from './secrets';
import { writePrivate } from './secrets';

export interface ImapAccount {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  folder: string;
  markSeen: boolean;
  intervalMinutes: number;
  /** Send the password without TLS when the server offers no STARTTLS (default off: refused). */
  allowPlaintextLogin: boolean;
}

/** How the refusal names the setting that allows a cleartext login. */
const PLAINTEXT_SETTING = 'the account setting "Allow unencrypted login (unsafe)"';

export interface IntakeServiceOptions {
  stores: StoreHost;
  dataDir: string;
  secrets: SecretBox;
  /** Our networks, for the accused and the first look (the operator's settings). */
  ourNets: () => string[];
  /** After an import or fetch that stored messages (the window refreshes its queue). */
  onImported?: (source: 'import' | 'imap', summary: ImportSummary) => void;
  log?: (line: string) => void;
  /** IMAP timeouts (connect, greeting, login, each command), defaults in imap-connect.ts. */
  imapTimeouts?: Partial<ImapTimeouts>;
  /** Tests: accept a self-signed server certificate. */
  allowSelfSigned?: boolean;
}

const MINUTE = 60_000;
/** The shortest a fetch lease stands unrenewed (a crashed holder blocks the mailbox this long at most). */
const LEASE_MIN_MS = 2 * MINUTE;

/** "user@host:port", as `abuse-desk import` names the account (the cursor is shared). */
export function accountKey(a: Pick<ImapAccount, 'user' | 'host' | 'port'>): string {
  return `${a.user}@${a.host}:${a.port}`;
}

/** An IMAP failure in the operator's words; `server` ("host:port") is named when the client's error does not say which. */
function mailError(e: unknown, server?: string): CodedError {
  if (e instanceof CodedError) return e;
  // The IMAP client's own errors already name the server, the phase and why; the app's mail errors all start "IMAP: ".
  if ((e as Error)?.name === 'ImapError') return new CodedError('mail_error', `IMAP: ${(e as Error).message.replace(/^IMAP server /, 'the server ')}`);
  const x = e as { message?: string; responseText?: string; authenticationFailed?: boolean; code?: string };
  const at = server ? ` (${server})` : '';
  const why = x.authenticationFailed ? `the server${at} refused the user name or password`
    : x.responseText ? `${x.responseText}${at}` : x.code === 'ENOTFOUND' ? `no such host${at}`
      : x.code === 'ECONNREFUSED' ? `the connection to ${server ?? 'the server'} was refused` : `${x.message ?? String(e)}${at}`;
  return new CodedError('mail_error', `IMAP: ${why}`);
}

/** `imap:test`'s account as on screen: the saved fields, with the password typed (absent: the stored one). */
export type ImapTestAccount = Omit<ImapAccount, 'allowPlaintextLogin'> & { allowPlaintextLogin?: boolean; password?: string };

export class IntakeService {
  private readonly file: string;
  private lastFetch: ImapFetchStatus | null = null;
  private running: Promise<ImportSummary> | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private disposed = false;
  /** Names this app among the desk's in a lease holder (two apps of one user on one machine differ). */
  private readonly appId = randomBytes(3).toString('hex');
  private lease: { store: CaseStore; name: string; holder: string } | null = null;

  constructor(private readonly opts: IntakeServiceOptions) {
    this.file = join(opts.dataDir, 'imap-account.json');
  }

  // ---- local mailboxes

  /** Import mailboxes, folders and message files (paths already resolved by the host). */
  async importPaths(paths: string[]): Promise<ImportSummary> {
    const store = await this.opts.stores.get();
    const [{ importMessages }, { readMessages }, { prepareSpoolDir }] = await Promise.all([
      import('../store/intake'), import('../services/intake/files'), import('../store/whole-message')]);
    let summary: ImportSummary;
    try {
      summary = await importMessages(store, readMessages(paths, { spoolDir: await prepareSpoolDir(store.dataDir) }), { ourNets: this.opts.ourNets() });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new CodedError('not_found', `no such file or folder: ${(e as Error).message}`);
      if (code === 'EACCES' || code === 'EISDIR') throw new CodedError('io_error', (e as Error).message);
      throw e;
    }
    if (summary.messages) this.opts.onImported?.('import', summary);
    return summary;
  }

  // ---- the IMAP account

  private readAccount(): ImapAccount | null {
    try {
      const a = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<ImapAccount>;
      if (typeof a.host !== 'string' || typeof a.user !== 'string' || typeof a.port !== 'number') return null;
      return {
        host: a.host, port: a.port, tls: a.tls !== false, user: a.user, folder: typeof a.folder === 'string' && a.folder ? a.folder : 'INBOX',
        markSeen: a.markSeen === true, intervalMinutes: typeof a.intervalMinutes === 'number' && a.intervalMinutes >= 0 ? a.intervalMinutes : 0,
        allowPlaintextLogin: a.allowPlaintextLogin === true,
      };
    } catch {
      return null;
    }
  }

  getAccount(): ImapAccountView | null {
    const a = this.readAccount();
    if (!a) return null;
    const has = this.opts.secrets.has();
    return { ...a, hasPassword: has, passwordStorage: has ? this.opts.secrets.kind : 'none', lastFetch: this.lastFetch };
  }

  setAccount(req: ParsedRequestOf<'imap:setAccount'>): ImapAccountView {
    const { password, clearPassword, ...rest } = req;
    const account: ImapAccount = { ...rest, allowPlaintextLogin: rest.allowPlaintextLogin === true };
    const before = this.readAccount();
    if (password !== undefined) this.opts.secrets.save(password);
    else if (clearPassword) this.opts.secrets.clear();
    writePrivate(this.file, `${JSON.stringify(account, null, 2)}\n`);
    if (before && accountKey(before) !== accountKey(account)) this.lastFetch = null;
    this.schedule();
    return this.getAccount()!;
  }

  private credentials(): { account: ImapAccount; password: string } {
    const account = this.readAccount();
    if (!account) throw new CodedError('not_found', 'No IMAP account is set: enter one in Settings.');
    const password = this.opts.secrets.load();
    if (password === null) {
      throw new CodedError('not_found', this.opts.secrets.has()
        ? 'The stored IMAP password cannot be decrypted here (another machine or user, or its key is gone): enter it again.'
        : 'No IMAP password is stored: enter it in Settings.');
    }
    return { account, password };
  }

  /** The typed account with its password (typed, else the stored one). */
  private typed(a: ImapTestAccount): { account: ImapAccount; password: string } {
    const { password: typed, ...rest } = a;
    const account: ImapAccount = { ...rest, allowPlaintextLogin: !rest.tls && rest.allowPlaintextLogin === true };
    const password = typed ?? this.opts.secrets.load();
    if (password === null) throw new CodedError('not_found', 'Enter the IMAP password to test the account (none is stored).');
    return { account, password };
  }

  private connectOptions(account: ImapAccount, password: string): ImapConnectOptions {
    return {
      host: account.host, port: account.port, secure: account.tls, user: account.user, password,
      allowPlaintextLogin: account.allowPlaintextLogin, plaintextOptIn: PLAINTEXT_SETTING,
      allowSelfSigned: this.opts.allowSelfSigned, timeouts: this.opts.imapTimeouts,
    };
  }

  /**
   * Log in and look at the folder (STATUS); nothing is fetched, changed or
   * saved. `onScreen`: the account as the operator typed it, tried before Save
   * (its password, else the stored one); absent: the saved account.
   */
  async test(onScreen?: ImapTestAccount): Promise<ImapTestReply> {
    const { account, password } = onScreen ? this.typed(onScreen) : this.credentials();
    const store = await this.opts.stores.get();
    const cursor = await store.getImapCursor(accountKey(account), account.folder);
    const { openImap } = await import('../services/intake/imap-connect');
    let session: ImapSession;
    try {
      session = await openImap(this.connectOptions(account, password));
    } catch (e) {
      throw mailError(e, `${account.host}:${account.port}`);
    }
    try {
      const st = await session.command('STATUS', () => session.client.status(account.folder, { messages: true, uidNext: true, uidValidity: true }));
      if (!st) throw new CodedError('mail_error', `IMAP: the folder "${account.folder}" could not be opened`);
      const sameBox = !cursor?.uidValidity || cursor.uidValidity === String(st.uidValidity);
      const last = sameBox ? cursor?.lastUid ?? 0 : 0;
      return { folder: account.folder, messages: st.messages ?? 0, newMessages: Math.min(st.messages ?? 0, Math.max(0, (st.uidNext ?? 1) - 1 - last)) };
    } catch (e) {
      throw mailError(e, `${account.host}:${account.port}`);
    } finally {
      await session.close();
    }
  }

  /** Fetch and import the messages newer than the cursor; one fetch at a time (a second call waits for the first). */
  fetch(): Promise<ImportSummary> {
    if (this.running) return this.running;
    this.running = this.fetchOnce().finally(() => { this.running = null; });
    return this.running;
  }

  private async fetchOnce(): Promise<ImportSummary> {
    const at = Date.now();
    try {
      const { account, password } = this.credentials();
      const store = await this.opts.stores.get();
      const [{ importMessages }, { fetchImap }] = await Promise.all([import('../store/intake'), import('../services/intake/imap')]);
      const key = accountKey(account);
      const stopRenewing = await this.takeLease(store, account);
      const saved = await store.getImapCursor(key, account.folder).catch((e: unknown) => { stopRenewing(); throw e; });
      const cursor = { uidValidity: saved?.uidValidity ?? undefined, lastUid: saved?.lastUid ?? 0 };
      let runMax = 0;
      let done = false;
      let summary: ImportSummary;
      try {
        const messages = fetchImap({ ...this.connectOptions(account, password), mailbox: account.folder, markSeen: account.markSeen }, cursor);
        summary = await importMessages(store, withAccount(messages, key), {
          ourNets: this.opts.ourNets(),
          // Stored or quarantined: either way the cursor moves past it (a poison message is not fetched forever).
          onSettled: (m) => { if (m.source.kind === 'imap') runMax = Math.max(runMax, m.source.uid); },
        });
        done = true;
      } catch (e) {
        throw e instanceof CodedError || isStoreError(e) ? e : mailError(e, `${account.host}:${account.port}`);
      } finally {
        // As `abuse-desk import`: only what was stored advances the cursor.
        const sameBox = (cursor.uidValidity ?? null) === (saved?.uidValidity ?? null);
        const storedUid = done ? cursor.lastUid : sameBox ? Math.max(saved?.lastUid ?? 0, runMax) : runMax;
        if (storedUid !== saved?.lastUid || (cursor.uidValidity ?? null) !== (saved?.uidValidity ?? null)) {
          await store.saveImapCursor(key, account.folder, { uidValidity: cursor.uidValidity, lastUid: storedUid }).catch(() => undefined);
        }
        stopRenewing();
      }
      this.lastFetch = { at, ok: true, messages: summary.messages, created: summary.counts.created };
      if (summary.messages) this.opts.onImported?.('imap', summary);
      return summary;
    } catch (e) {
      this.lastFetch = { at, ok: false, messages: 0, created: 0, error: (e as Error).message };
      throw e;
    }
  }

  /**
   * Take (or renew) the desk's lease on the mailbox, renewed while the fetch
   * runs; returns the function that stops renewing. Held by another app:
   * CodedError 'busy' naming it.
   */
  private async takeLease(store: CaseStore, account: ImapAccount): Promise<() => void> {
    const name = `imap:${accountKey(account)}/${account.folder}`;
    const holder = `${store.operator} on ${hostname()} (pid ${process.pid}, app ${this.appId})`;
    // Past the timer's interval, so the app that fetches keeps fetching for the desk.
    const ttl = Math.max(LEASE_MIN_MS, Math.round(account.intervalMinutes * MINUTE * 1.5));
    const r = await store.leases.acquire(name, holder, ttl);
    if (!r.held) {
      throw new CodedError('busy', `IMAP: not fetched by this app: ${r.lease.holder} fetches ${account.folder} of ${account.user} at ${account.host} for the desk `
        + `(its turn stands until ${new Date(r.lease.expiresAt).toISOString()} unless renewed); what it imports appears in this queue.`);
    }
    this.lease = { store, name, holder };
    const renew = setInterval(() => { void store.leases.acquire(name, holder, ttl).catch(() => undefined); }, ttl / 3);
    renew.unref?.();
    return () => clearInterval(renew);
  }

  // ---- the timer

  /** (Re)arm the timer from the account's interval (0: none). Call once at start. */
  schedule(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.disposed) return;
    const a = this.readAccount();
    if (!a || a.intervalMinutes <= 0 || !this.opts.secrets.has()) return;
    this.timer = setInterval(() => {
      this.fetch().catch((e: unknown) => this.opts.log?.(`imap: scheduled fetch failed: ${(e as Error).message}`));
    }, a.intervalMinutes * MINUTE);
    this.timer.unref?.();
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    // Hand the mailbox to the desk's next app now rather than when the lease lapses (best effort: the store may be closing).
    const l = this.lease;
    this.lease = null;
    if (l) void l.store.leases.release(l.name, l.holder).catch(() => undefined);
  }
}

function isStoreError(e: unknown): boolean {
  return (e as Error)?.name === 'StoreError';
}

async function* withAccount<T extends { source: { kind: string } }>(messages: AsyncIterable<T>, account: string): AsyncGenerator<T> {
  for await (const m of messages) yield m.source.kind === 'imap' ? { ...m, source: { ...m.source, account } } : m;
}
