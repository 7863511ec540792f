import { constants } from 'node:fs';
import { hostname } from 'node:os';
import { access, readFile } from 'node:fs/promises';
import { parseInventory, type Inventory } from '../../analysis/triage/inventory';
import { printableLine, terminalJson } from '../../analysis/util/printable';
import { CaseStore } from '../../store/case-store';
import { StoreError } from '../../store/errors';
import { importMessages, type ImportSummary, type RawIntakeMessage } from '../../store/intake';
import { prepareSpoolDir } from '../../store/whole-message';
import { cliStore, STORE_HELP, STORE_OPTION } from '../store-option';
import { readMessages } from '../../services/intake/files';
import { fetchImap, type ImapCursor } from '../../services/intake/imap';
import type { IntakeMessage } from '../../services/intake/message';
import { parseCommandArgs, UsageError } from '../usage';
import { readPassword } from '../io/password';

const HELP = `abuse-desk import PATH...|imap://USER@HOST[:PORT]/FOLDER [--data-dir DIR] [--store URL] [--our-net CIDR]...
                  [--inventory FILE] [--password-env VAR] [--tls|--no-tls] [--allow-plaintext-login]
                  [--connect-timeout SEC] [--command-timeout SEC] [--mark-seen] [--json]

Take complaint mail into the case store. Each message opens a case or joins its
case: the same message again (Message-ID) changes nothing, a reply in a stored
thread (In-Reply-To/References) and the same complaint re-sent join that case.
Attachments become evidence; a first look ranks the case in the queue
("abuse-desk queue"). A message that cannot be read is kept as raw text with a
warning, never dropped.
  PATH               an mbox file, a Maildir folder, a folder of .eml files, or .eml files
  imap://...         an IMAP folder (default port 993 with --tls, else 143 with STARTTLS, which
                     is then required); only messages newer than the last import (UID cursor kept
                     in the store) are fetched; nothing on the server is deleted or moved; the desk's
                     apps and imports fetch one mailbox one at a time (the store's lease on it)
  --password-env VAR the IMAP password is in $VAR (else it is asked for when the terminal is
                     interactive); it is never taken from the command line
  --tls / --no-tls   implicit TLS (imaps) or not (default: TLS unless the port is 143)
  --allow-plaintext-login
                     DANGEROUS: without TLS, send the password in clear when the server offers
                     no STARTTLS (default: refuse, and send nothing)
  --connect-timeout SEC  give up connecting, or waiting for the greeting, after SEC s (default 15)
  --command-timeout SEC  give up the login, or a command the server stays silent on, after SEC s
                     (default 30)
  --mark-seen        set \\Seen on the fetched messages (default: read-only)
  --allow-self-signed  accept the server's self-signed certificate (internal servers)
  --our-net CIDR     our networks (repeatable); --inventory FILE our hosts (see "triage --help")
  --json             one JSON object: counts, case ids, warnings
${STORE_HELP}
Exit status: 0 done (also with warnings); 1 the store or the mail server failed; 2 usage.`;

export interface ImapUrl { user: string; host: string; port?: number; folder: string }

/** imap://user@host:port/FOLDER (user and folder percent-decoded). No password in the URL. */
export function parseImapUrl(s: string): ImapUrl {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(`"${s}" is not an imap:// address`);
  }
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new UsageError(`"${s}" is not an imap:// address`);
  if (u.password) throw new UsageError('put no password in the imap:// address: use --password-env VAR (or type it when asked)');
  if (!u.username || !u.hostname) throw new UsageError(`"${s}": the address needs a user and a host (imap://user@host/INBOX)`);
  const folder = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  return { user: decodeURIComponent(u.username), host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : undefined, folder };
}

function render(s: ImportSummary, label: string): string {
  const c = s.counts;
  const lines = [`${label}: ${s.messages} message${s.messages === 1 ? '' : 's'}: ${c.created} new case${c.created === 1 ? '' : 's'}, `
    + `${c['joined-thread']} joined their thread, ${c['joined-duplicate']} duplicate${c['joined-duplicate'] === 1 ? '' : 's'} of a stored complaint, `
    + `${c['already-imported']} already imported.`];
  // Sources and warnings name the messages' files and parts: one printable line each.
  for (const w of s.warnings) lines.push(printableLine(`warning: ${w.source} (case ${w.caseId}): ${w.warnings.join('; ')}`));
  for (const q of s.quarantined ?? []) lines.push(printableLine(`could not be read, quarantined: ${q.source}: ${q.error}`));
  if (s.caseIds.length) lines.push(`Cases: ${s.caseIds.join(', ')}. See them ranked with "abuse-desk queue".`);
  return `${lines.join('\n')}\n`;
}

/** A timeout flag in seconds (fractions allowed), or undefined when not given. */
function seconds(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(n > 0) || n > 3600) throw new UsageError(`${flag}: "${v}" is not a number of seconds (0 < SEC <= 3600)`);
  return n;
}

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      ...STORE_OPTION,
      'password-env': { type: 'string' },
      tls: { type: 'boolean' },
      'no-tls': { type: 'boolean' },
      'mark-seen': { type: 'boolean' },
      'allow-self-signed': { type: 'boolean' },
      'allow-plaintext-login': { type: 'boolean' },
      'connect-timeout': { type: 'string' },
      'command-timeout': { type: 'string' },
      'our-net': { type: 'string', multiple: true },
      inventory: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${HELP}\n`); return 0; }
  if (!positionals.length) throw new UsageError('import needs a mailbox: PATH... or imap://user@host/FOLDER');
  const ourNets = values['our-net'] ?? [];
  for (const cidr of ourNets) if (!/^[0-9a-f:.]+(\/\d{1,3})?$/i.test(cidr)) throw new UsageError(`--our-net: "${cidr}" is not an address or CIDR`);
  if (values.tls && values['no-tls']) throw new UsageError('--tls and --no-tls contradict each other');
  const connectS = seconds(values['connect-timeout'], '--connect-timeout');
  const commandS = seconds(values['command-timeout'], '--command-timeout');
  const imap = positionals.filter((p) => /^imaps?:\/\//i.test(p));
  if (imap.length && (imap.length > 1 || positionals.length > 1)) throw new UsageError('import reads one imap:// folder at a time, without local paths');
  let inventory: Inventory = [];
  if (values.inventory) {
    try {
      inventory = parseInventory(await readFile(values.inventory, 'utf8')).inventory;
    } catch (e) {
      process.stderr.write(`abuse-desk: cannot read the inventory ${values.inventory}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const url = imap.length ? parseImapUrl(imap[0]) : undefined;
  let password = '';
  if (url) {
    const pw = await readPassword(values['password-env'], `IMAP password for ${url.user}@${url.host}: `);
    if (pw === null) {
      throw new UsageError(values['password-env']
        ? `--password-env ${values['password-env']}: that environment variable is not set`
        : 'the IMAP password: give --password-env VAR, or run in a terminal to be asked');
    }
    password = pw;
  } else {
    // Readable, without reading it: an mbox can be larger than memory (or than a Buffer's 2 GiB).
    for (const p of positionals) await access(p, constants.R_OK).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${p}: ${e.code === 'ENOENT' ? 'no such file or folder' : e.message}`);
    });
  }

  const where = cliStore(values);
  let store: CaseStore | undefined;
  let stopLease = async (): Promise<void> => undefined;
  try {
    store = await CaseStore.open(where.location, { operator: where.operator });
    if (store.readOnly) throw new StoreError('read_only', store.readOnlyReason!);
    // One transaction per 100 messages: one fsync each, and an interruption keeps every batch stored.
    const opts = { ourNets, inventory, batchSize: 100 };
    let summary: ImportSummary;
    let label: string;
    if (url) {
      const secure = values['no-tls'] ? false : values.tls ? true : url.port !== 143;
      const port = url.port ?? (secure ? 993 : 143);
      const account = `${url.user}@${url.host}:${port}`;
      stopLease = await mailboxLease(store, `imap:${account}/${url.folder}`, `${url.folder} of ${url.user} at ${url.host}`);
      const saved = await store.getImapCursor(account, url.folder);
      const cursor: ImapCursor = { uidValidity: saved?.uidValidity ?? undefined, lastUid: saved?.lastUid ?? 0 };
      const messages = withAccount(fetchImap({
        host: url.host, port, secure, user: url.user, password, mailbox: url.folder, markSeen: !!values['mark-seen'],
        allowSelfSigned: !!values['allow-self-signed'],
        allowPlaintextLogin: !!values['allow-plaintext-login'], plaintextOptIn: '--allow-plaintext-login',
        timeouts: {
          ...(connectS !== undefined ? { connectMs: connectS * 1000, greetingMs: connectS * 1000 } : {}),
          ...(commandS !== undefined ? { loginMs: commandS * 1000, commandMs: commandS * 1000 } : {}),
        },
      }, cursor), account);
      // Only what was stored advances the saved cursor, so an interrupted import resumes where it stopped.
      let runMax = 0;
      let done = false;
      try {
        summary = await importMessages(store, messages, {
          ...opts,
          // Stored or quarantined: either way the cursor moves past it (a poison message is not fetched forever).
          onSettled: (m) => { if (m.source.kind === 'imap') runMax = Math.max(runMax, m.source.uid); },
        });
        done = true;
      } finally {
        // After a UIDVALIDITY change the old last UID means nothing.
        const sameBox = (cursor.uidValidity ?? null) === (saved?.uidValidity ?? null);
        const storedUid = done ? cursor.lastUid : sameBox ? Math.max(saved?.lastUid ?? 0, runMax) : runMax;
        if (storedUid !== saved?.lastUid || (cursor.uidValidity ?? null) !== (saved?.uidValidity ?? null)) {
          await store.saveImapCursor(account, url.folder, { uidValidity: cursor.uidValidity, lastUid: storedUid });
        }
      }
      label = `${account}/${url.folder}`;
    } else {
      // A message over the reader's bound is spooled whole into the store's folder, not held in memory.
      summary = await importMessages(store, readMessages(positionals, { spoolDir: await prepareSpoolDir(store.dataDir) }), opts);
      label = positionals.join(', ');
    }
    if (values.json) process.stdout.write(`${terminalJson(summary)}\n`);
    else process.stdout.write(render(summary, label));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = e instanceof StoreError ? e.message : `${(e as Error).message}${(e as { responseText?: string }).responseText ? ` (${(e as { responseText?: string }).responseText})` : ''}`;
    process.stderr.write(`abuse-desk: ${msg}\n`);
    return 1;
  } finally {
    await stopLease().catch(() => undefined);
    await store?.close().catch(() => undefined);
  }
}

/**
 * Take the desk's lease on the mailbox as the apps do (host/intake-service.ts, the same name), renewed while
 * the import runs and given back after; held by an app: StoreError 'conflict' naming it, and nothing is fetched.
 */
async function mailboxLease(store: CaseStore, name: string, what: string): Promise<() => Promise<void>> {
  const holder = `${store.operator} on ${hostname()} (abuse-desk import, pid ${process.pid})`;
  const ttl = 2 * 60_000;
  const got = await store.leases.acquire(name, holder, ttl);
  if (!got.held) {
    throw new StoreError('conflict', `not fetched: ${got.lease.holder} fetches ${what} for the desk (its turn stands until ${new Date(got.lease.expiresAt).toISOString()} unless renewed).`);
  }
  const renew = setInterval(() => { void store.leases.acquire(name, holder, ttl).catch(() => undefined); }, ttl / 3);
  return async () => {
    clearInterval(renew);
    await store.leases.release(name, holder);
  };
}

async function* withAccount(messages: AsyncIterable<IntakeMessage>, account: string): AsyncGenerator<RawIntakeMessage> {
  for await (const m of messages) yield m.source.kind === 'imap' ? { ...m, source: { ...m.source, account } } : m;
}
