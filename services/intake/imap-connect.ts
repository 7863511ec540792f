/**
 * One IMAP connection for intake, made safe against a hostile or broken
 * server: the password only ever crosses TLS (implicit TLS, or STARTTLS which
 * is then required) unless the operator allows cleartext for this account;
 * every phase has a deadline (connect, greeting, login, each command); and
 * every failure closes the socket, so nothing waits for the server to hang up.
 */
import type { Socket } from 'node:net';
import { ImapFlow } from 'imapflow';

export interface ImapTimeouts {
  /** TCP connect (and the TLS handshake with implicit TLS). */
  connectMs: number;
  /** From connected to the server's greeting. */
  greetingMs: number;
  /** From the greeting to logged in (CAPABILITY, STARTTLS, LOGIN). */
  loginMs: number;
  /** Each later command fails when the server sends nothing for this long (a big FETCH that streams is not cut). */
  commandMs: number;
}

export const DEFAULT_IMAP_TIMEOUTS: Readonly<ImapTimeouts> = { connectMs: 15_000, greetingMs: 15_000, loginMs: 30_000, commandMs: 30_000 };

export interface ImapConnectOptions {
  host: string;
  port: number;
  /** Implicit TLS (993). Without it STARTTLS is required, unless `allowPlaintextLogin`. */
  secure: boolean;
  user: string;
  password: string;
  /** Accept a self-signed server certificate (tests, internal servers). */
  allowSelfSigned?: boolean;
  /**
   * Send the password over an unencrypted connection when the server offers no
   * STARTTLS (STARTTLS is still used when offered). Off by default: refused.
   */
  allowPlaintextLogin?: boolean;
  /** What the operator sets to allow that, for the refusal's message ("--allow-plaintext-login"). */
  plaintextOptIn?: string;
  timeouts?: Partial<ImapTimeouts>;
}

/** connect, greeting, login, or the name of the command that was running (SELECT, FETCH, STATUS, LOGOUT…). */
export type ImapPhase = string;

export type ImapFailure = 'timeout' | 'no-starttls' | 'login-refused' | 'failed';

/** Why an IMAP connection failed: the server, the phase and a sentence for the operator. */
export class ImapError extends Error {
  override readonly name = 'ImapError';
  constructor(message: string, readonly server: string, readonly phase: ImapPhase, readonly failure: ImapFailure, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const PHASE_WORDS: Record<string, string> = {
  connect: 'connecting', greeting: "waiting for the server's greeting", login: 'logging in',
};

function phaseWords(phase: ImapPhase): string {
  return PHASE_WORDS[phase] ?? `waiting for the answer to ${phase}`;
}

/** What imapflow keeps about the connection's progress (not in its typings). */
interface FlowInternals { socket?: Socket | false; greetingReceived?: boolean; greeting?: string; tls?: unknown; secureConnection?: boolean }

export interface ImapSession {
  readonly client: ImapFlow;
  /** Run one command (or a FETCH loop) under the command timeout; a timeout closes the connection. */
  command<T>(name: string, run: () => Promise<T>): Promise<T>;
  /** LOGOUT under the command timeout, then the socket is closed whatever the server does. */
  close(): Promise<void>;
}

/**
 * Connect and log in. Rejects with an ImapError naming the server and the
 * phase; the connection is closed before it does.
 */
export async function openImap(o: ImapConnectOptions): Promise<ImapSession> {
  const t: ImapTimeouts = { ...DEFAULT_IMAP_TIMEOUTS, ...o.timeouts };
  const server = `${o.host}:${o.port}`;
  const client = new ImapFlow({
    host: o.host, port: o.port, secure: o.secure,
    auth: { user: o.user, pass: o.password },
    // Required STARTTLS: imapflow then fails before LOGIN when the server offers none.
    // Opportunistic (undefined) only when the operator allowed cleartext.
    doSTARTTLS: o.secure ? undefined : o.allowPlaintextLogin ? undefined : true,
    tls: o.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    logger: false,
    connectionTimeout: t.connectMs,
    greetingTimeout: t.greetingMs,
    // imapflow's own inactivity watchdog, a backstop behind ours (and its keep-alive between commands).
    socketTimeout: t.commandMs * 2,
  });
  const flow = client as unknown as FlowInternals;

  let closed = false;
  const hangUp = (): void => {
    if (closed) return;
    closed = true;
    try { client.close(); } catch { /* already closed */ }
  };

  // The operation in flight, what it is waiting for, and since when (activity moves `since` for commands).
  let pending: { phase: () => ImapPhase; limit: (p: ImapPhase) => number; inactivity: boolean; fail: (e: Error) => void } | null = null;
  let phaseNow: ImapPhase = 'connect';
  let since = Date.now();
  const watched = new WeakSet<Socket>();
  const touch = (): void => { if (pending?.inactivity) since = Date.now(); };

  const timeoutError = (phase: ImapPhase, ms: number, cause?: unknown): ImapError =>
    new ImapError(`IMAP server ${server} did not answer in time while ${phaseWords(phase)} (${ms} ms): the connection was closed`, server, phase, 'timeout', { cause });

  const step = Math.max(10, Math.min(1000, Math.floor(Math.min(t.connectMs, t.greetingMs, t.loginMs, t.commandMs) / 4)));
  const tick = setInterval(() => {
    const sock = flow.socket;
    // Every byte from the server counts as activity; after STARTTLS the TLS socket replaces the plain one.
    if (sock && !watched.has(sock)) { watched.add(sock); sock.on('data', touch); }
    if (!pending) return;
    const p = pending.phase();
    if (p !== phaseNow) { phaseNow = p; since = Date.now(); }
    const limit = pending.limit(p);
    if (Date.now() - since >= limit) {
      const fail = pending.fail;
      pending = null;
      fail(timeoutError(p, limit));
    }
  }, step);
  tick.unref?.();

  const toError = (e: unknown, phase: ImapPhase): Error => {
    if (e instanceof ImapError) return e;
    const x = e as { message?: string; code?: string; tlsFailed?: boolean; authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string };
    if (x.code === 'CONNECT_TIMEOUT') return timeoutError('connect', t.connectMs, e);
    if (x.code === 'GREETING_TIMEOUT') return timeoutError('greeting', t.greetingMs, e);
    if (x.code === 'ETIMEOUT') return timeoutError(phase, phase === 'login' ? t.loginMs : t.commandMs, e);
    if (x.tlsFailed && /STARTTLS/i.test(x.message ?? '')) {
      return new ImapError(`IMAP server ${server} offered no STARTTLS: the password was not sent over an unencrypted connection. `
        + `Use implicit TLS (imaps, port 993), or allow a cleartext login to this server${o.plaintextOptIn ? ` with ${o.plaintextOptIn}` : ''}`, server, 'login', 'no-starttls', { cause: e });
    }
    if (x.authenticationFailed) {
      return new ImapError(`IMAP server ${server} refused the login for ${o.user}${x.responseText ? `: ${x.responseText}` : ''}`, server, 'login', 'login-refused', { cause: e });
    }
    const why = x.code === 'ENOTFOUND' ? 'no such host' : x.code === 'ECONNREFUSED' ? 'the connection was refused'
      : x.responseText ?? x.message ?? String(e);
    return new ImapError(`IMAP server ${server}: ${phaseWords(phase)} failed: ${why}`, server, phase, 'failed', { cause: e });
  };

  // A socket error or imapflow's watchdog between our calls: fail what is in flight, else keep it for the next call.
  let lateError: Error | undefined;
  client.on('error', (e: unknown) => {
    const err = toError(e, phaseNow);
    if (pending) { const fail = pending.fail; pending = null; fail(err); } else lateError = err;
    hangUp();
  });

  /** Run `op` as `phase`; on timeout or error the connection is closed and the ImapError thrown. */
  const guarded = <T>(phase: () => ImapPhase, limit: (p: ImapPhase) => number, inactivity: boolean, op: () => Promise<T>): Promise<T> => {
    if (lateError) { const e = lateError; lateError = undefined; hangUp(); return Promise.reject(e); }
    if (closed) return Promise.reject(new ImapError(`IMAP server ${server}: the connection is closed`, server, phase(), 'failed'));
    phaseNow = phase();
    since = Date.now();
    return new Promise<T>((resolve, reject) => {
      const me = {
        phase, limit, inactivity,
        fail: (e: Error) => { hangUp(); reject(e); },
      };
      pending = me;
      op().then(
        (v) => { if (pending === me) pending = null; resolve(v); },
        (e: unknown) => { const err = toError(e, phaseNow); if (pending === me) pending = null; hangUp(); reject(err); },
      );
    });
  };

  const connectPhase = (): ImapPhase => {
    if (flow.greetingReceived || flow.greeting !== undefined) return 'login';
    const sock = flow.socket;
    const up = sock && !sock.connecting && (!flow.secureConnection || !!flow.tls);
    return up ? 'greeting' : 'connect';
  };
  const connectLimit = (p: ImapPhase): number => (p === 'connect' ? t.connectMs : p === 'greeting' ? t.greetingMs : t.loginMs);

  try {
    await guarded(connectPhase, connectLimit, false, () => client.connect());
  } catch (e) {
    clearInterval(tick);
    hangUp();
    throw e;
  }

  return {
    client,
    command: (name, run) => guarded(() => name, () => t.commandMs, true, run),
    close: async () => {
      try {
        if (!closed) await guarded(() => 'LOGOUT', () => t.commandMs, true, () => client.logout());
      } catch {
        // Logged out or not, the socket goes.
      } finally {
        clearInterval(tick);
        hangUp();
      }
    },
  };
}
