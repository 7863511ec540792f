import { ImapFlow } from 'imapflow';
import { describeMessage, type IntakeMessage } from './message';

export interface ImapOptions {
  host: string;
  port: number;
  /** Implicit TLS (993). Without it, STARTTLS is used when offered unless `requireTls` is false. */
  secure: boolean;
  user: string;
  password: string;
  /** Mailbox to read, default INBOX. */
  mailbox?: string;
  /** Accept a self-signed server certificate (tests, internal servers). */
  allowSelfSigned?: boolean;
  /** Set \Seen on the fetched messages (off by default: we read with BODY.PEEK). */
  markSeen?: boolean;
  /** Connection timeout, ms. */
  timeoutMs?: number;
}

/** What to remember between fetches: the mailbox's UIDVALIDITY and the highest UID fetched. */
export interface ImapCursor {
  uidValidity?: string;
  lastUid: number;
}

/**
 * Fetch the messages with UID > cursor.lastUid, oldest first; the cursor is
 * advanced as they are yielded. Never deletes, moves or expunges; marks them
 * \Seen only when asked. A UIDVALIDITY change (the mailbox was recreated)
 * restarts from UID 1, with a warning on each message.
 */
export async function* fetchImap(opts: ImapOptions, cursor: ImapCursor): AsyncGenerator<IntakeMessage> {
  const mailbox = opts.mailbox ?? 'INBOX';
  const client = new ImapFlow({
    host: opts.host, port: opts.port, secure: opts.secure,
    auth: { user: opts.user, pass: opts.password },
    tls: opts.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    logger: false,
    connectionTimeout: opts.timeoutMs ?? 15_000,
  });
  // Socket errors after connect surface as 'error' events; without a listener Node would crash the process.
  let failure: Error | undefined;
  client.on('error', (e: Error) => { failure = e; });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox, { readOnly: !opts.markSeen });
    try {
      const box = client.mailbox;
      const validity = box ? String(box.uidValidity) : undefined;
      const reset = cursor.uidValidity !== undefined && validity !== undefined && cursor.uidValidity !== validity;
      if (reset) cursor.lastUid = 0;
      cursor.uidValidity = validity;
      if (!box || box.exists === 0) return;
      // "n:*" always matches the highest UID even below n (RFC 9051 §6.4.8), so filter again.
      const range = `${cursor.lastUid + 1}:*`;
      const fetched: Array<{ uid: number; raw: Uint8Array }> = [];
      // Collected first, then yielded: no other IMAP command may run while a FETCH streams.
      for await (const m of client.fetch(range, { uid: true, source: true }, { uid: true })) {
        if (m.uid <= cursor.lastUid || !m.source) continue;
        fetched.push({ uid: m.uid, raw: new Uint8Array(m.source) });
      }
      if (failure) throw failure;
      fetched.sort((a, b) => a.uid - b.uid);
      if (opts.markSeen && fetched.length) await client.messageFlagsAdd(fetched.map((f) => f.uid).join(','), ['\\Seen'], { uid: true });
      for (const f of fetched) {
        const msg = describeMessage(f.raw, { kind: 'imap', mailbox, uid: f.uid });
        if (reset) msg.warnings.push(`UIDVALIDITY of ${mailbox} changed: fetched again from the start`);
        cursor.lastUid = Math.max(cursor.lastUid, f.uid);
        yield msg;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
