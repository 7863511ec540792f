/**
 * `serve`'s budgets against a hostile local peer: any process on the machine
 * can open sockets to 127.0.0.1 (a token is only checked once a request has
 * arrived), so the number of sockets, how long one may sit silent, how long
 * its headers may take and how many event streams stay open are all capped.
 * A socket over a cap is closed at once: the server never queues work for it.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ServeLimits {
  /** Open sockets in all. */
  maxConnections: number;
  /** Open sockets from one remote address (127.0.0.1, 127.0.0.2, …). */
  maxConnectionsPerRemote: number;
  /** A socket with no bytes either way for this long is closed (not while a call is being answered, nor an event stream). */
  idleMs: number;
  /** The request line and headers must arrive within this (slowloris). */
  headersMs: number;
  /** Open event streams per access token. */
  maxEventStreams: number;
}

/**
 * A browser opens about six sockets per host plus one event stream; these
 * leave room for several tabs and still stop a flood long before file
 * descriptors or memory run out (19,950 idle sockets were accepted before).
 */
export const DEFAULT_SERVE_LIMITS: ServeLimits = {
  maxConnections: 128,
  maxConnectionsPerRemote: 64,
  idleMs: 60_000,
  headersMs: 20_000,
  maxEventStreams: 20,
};

export function serveLimits(partial: Partial<ServeLimits> = {}): ServeLimits {
  const l = { ...DEFAULT_SERVE_LIMITS, ...partial };
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`serve limit ${k} must be a positive integer, not ${String(v)}`);
  }
  return l;
}

/** Options for `http.createServer` that enforce the header and keep-alive budgets. */
export function httpServerOptions(l: ServeLimits): { headersTimeout: number; requestTimeout: number; keepAliveTimeout: number; connectionsCheckingInterval: number } {
  return {
    headersTimeout: l.headersMs,
    // Large uploads take their time; a stalled one is cut by the idle timeout instead.
    requestTimeout: 0,
    keepAliveTimeout: Math.min(5_000, l.idleMs),
    // Node checks the headers deadline on this period (30 s by default, longer than the budget itself).
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(l.headersMs / 4))),
  };
}

/**
 * Count sockets as they open and close; one over a cap is destroyed before
 * the HTTP parser reads from it. Sockets start with the idle timeout (Node
 * destroys a socket whose timeout fires when nobody listens for it).
 */
export function guardConnections(server: Server, l: ServeLimits, log: (line: string) => void): { open(): number } {
  const perRemote = new Map<string, number>();
  let total = 0;
  let refusedSince = 0;
  server.on('connection', (socket: Socket) => {
    const remote = socket.remoteAddress ?? '?';
    const mine = perRemote.get(remote) ?? 0;
    if (total >= l.maxConnections || mine >= l.maxConnectionsPerRemote) {
      // One log line per burst, not one per refused socket.
      if (refusedSince++ === 0) log(`serve: refusing connections over the cap (${total} open, ${mine} from ${remote})`);
      socket.destroy();
      return;
    }
    refusedSince = 0;
    total++;
    perRemote.set(remote, mine + 1);
    socket.setTimeout(l.idleMs);
    socket.once('close', () => {
      total--;
      const n = (perRemote.get(remote) ?? 1) - 1;
      if (n > 0) perRemote.set(remote, n);
      else perRemote.delete(remote);
    });
  });
  return { open: () => total };
}

/** Event streams open per access token; `acquire` false means the cap is reached. */
export class EventStreamGate {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  acquire(token: string): (() => void) | undefined {
    const n = this.open.get(token) ?? 0;
    if (n >= this.max) return undefined;
    this.open.set(token, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(token) ?? 1) - 1;
      if (left > 0) this.open.set(token, left);
      else this.open.delete(token);
    };
  }

  count(token: string): number {
    return this.open.get(token) ?? 0;
  }
}
