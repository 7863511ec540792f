/**
 * A scripted IMAP server on 127.0.0.1 (node:net) for the hostile-peer tests:
 * it records every byte the client sent (and whether it came over TLS) and
 * whether the client closed the connection. Just enough IMAP for imapflow to
 * log in, open INBOX (empty, or holding `messages`), fetch by UID and log out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';

export interface FakeImapOptions {
  /** Offer STARTTLS with this key and certificate (PEM). */
  starttls?: { key: string; cert: string };
  /** Advertise AUTH=PLAIN (the client then sends AUTHENTICATE PLAIN, else LOGIN). */
  authPlain?: boolean;
  /** Answer the login with NO (a wrong password). */
  rejectLogin?: boolean;
  /** Accept the connection and never send a byte. */
  silent?: boolean;
  /** Greet, then never answer this command (LOGIN, AUTHENTICATE, EXAMINE…). */
  silentOn?: string;
  /** INBOX's messages, UID i + 1 for messages[i] (UIDVALIDITY 7); push more between fetches. */
  messages?: Buffer[];
}

export interface Received { text: string; overTls: boolean }

export interface FakeImap {
  port: number;
  /** What the client sent, in order, chunk by chunk. */
  received: Received[];
  /** All bytes the client sent without TLS, as latin1. */
  cleartext(): string;
  /** Resolves when the client ended or closed the connection (not the server). */
  clientHungUp: Promise<'end' | 'close'>;
  stop(): Promise<void>;
}

/** The UIDs of a UID set ("3:*", "1,4:6") among 1..max; "n:*" matches max even when n > max (RFC 9051 §6.4.8). */
function uidSet(set: string, max: number): number[] {
  const out = new Set<number>();
  for (const part of set.split(',')) {
    const [a, b = a] = part.split(':').map((x) => (x === '*' ? max : Number(x)));
    for (let u = Math.max(1, Math.min(a, b)); u <= Math.min(max, Math.max(a, b)); u++) out.add(u);
  }
  return [...out].sort((x, y) => x - y);
}

export async function startFakeImap(o: FakeImapOptions = {}): Promise<FakeImap> {
  const box = (): Buffer[] => o.messages ?? [];
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let hungUp!: (how: 'end' | 'close') => void;
  const clientHungUp = new Promise<'end' | 'close'>((r) => { hungUp = r; });
  let serverClosing = false;

  const caps = (tls: boolean): string => ['IMAP4rev1', ...(o.starttls && !tls ? ['STARTTLS'] : []), ...(o.authPlain ? ['AUTH=PLAIN'] : [])].join(' ');

  const serve = (sock: Socket, tls: boolean): void => {
    let buf = '';
    let awaitingPlain: string | null = null;
    const send = (s: string): void => { if (!sock.destroyed) sock.write(s); };
    sock.on('data', (d: Buffer) => {
      received.push({ text: d.toString('latin1'), overTls: tls });
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (awaitingPlain) { const tag = awaitingPlain; awaitingPlain = null; send(o.rejectLogin ? `${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n` : `${tag} OK Logged in\r\n`); continue; }
        const [tag, cmdRaw = '', ...rest] = line.split(' ');
        const cmd = cmdRaw.toUpperCase();
        if (o.silentOn && cmd === o.silentOn.toUpperCase()) continue;
        switch (cmd) {
          case 'CAPABILITY': send(`* CAPABILITY ${caps(tls)}\r\n${tag} OK done\r\n`); break;
          case 'ID': send(`* ID NIL\r\n${tag} OK done\r\n`); break;
          case 'NOOP': send(`${tag} OK done\r\n`); break;
          case 'STARTTLS': {
            if (!o.starttls || tls) { send(`${tag} BAD no\r\n`); break; }
            send(`${tag} OK Begin TLS negotiation now\r\n`);
            sock.removeAllListeners('data');
            const secure = new TLSSocket(sock, { isServer: true, key: o.starttls.key, cert: o.starttls.cert });
            secure.on('error', () => undefined);
            serve(secure, true);
            return;
          }
          case 'LOGIN': send(o.rejectLogin ? `${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n` : `${tag} OK Logged in\r\n`); break;
          case 'AUTHENTICATE':
            if (rest.length > 1) send(o.rejectLogin ? `${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n` : `${tag} OK Logged in\r\n`);
            else { awaitingPlain = tag; send('+ \r\n'); }
            break;
          case 'NAMESPACE': send(`* NAMESPACE (("" "/")) NIL NIL\r\n${tag} OK done\r\n`); break;
          case 'LIST': send(`* LIST () "/" INBOX\r\n${tag} OK done\r\n`); break;
          case 'STATUS': send(`* STATUS ${rest[0]} (MESSAGES ${box().length} UIDNEXT ${box().length + 1} UIDVALIDITY 7)\r\n${tag} OK done\r\n`); break;
          case 'SELECT': case 'EXAMINE':
            send(`* ${box().length} EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT ${box().length + 1}] ok\r\n${tag} OK [${cmd === 'EXAMINE' ? 'READ-ONLY' : 'READ-WRITE'}] done\r\n`);
            break;
          case 'UID': {
            const sub = (rest[0] ?? '').toUpperCase();
            if (sub === 'FETCH') {
              for (const uid of uidSet(rest[1] ?? '', box().length)) {
                const m = box()[uid - 1];
                if (!sock.destroyed) sock.write(Buffer.concat([Buffer.from(`* ${uid} FETCH (UID ${uid} BODY[] {${m.length}}\r\n`, 'latin1'), m, Buffer.from(')\r\n', 'latin1')]));
              }
              send(`${tag} OK done\r\n`);
            } else send(sub === 'STORE' ? `${tag} OK done\r\n` : `${tag} BAD unknown command\r\n`);
            break;
          }
          case 'LOGOUT': serverClosing = true; send(`* BYE bye\r\n${tag} OK done\r\n`); sock.end(); break;
          default: send(`${tag} BAD unknown command\r\n`);
        }
      }
    });
  };

  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => undefined);
    sock.on('end', () => { if (!serverClosing) hungUp('end'); });
    sock.on('close', () => { sockets.delete(sock); if (!serverClosing) hungUp('close'); });
    if (o.silent) return;
    serve(sock, false);
    sock.write(`* OK [CAPABILITY ${caps(false)}] fake ready\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    cleartext: () => received.filter((r) => !r.overTls).map((r) => r.text).join(''),
    clientHungUp,
    stop: () => new Promise<void>((resolve) => {
      serverClosing = true;
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A throw-away self-signed certificate for 127.0.0.1 (openssl req). */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-imap-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
