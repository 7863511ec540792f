import { openImap, type ImapConnectOptions } from './imap-connect';
import { describeMessage, type IntakeMessage } from './message';

export { DEFAULT_IMAP_TIMEOUTS, ImapError, type ImapTimeouts } from './imap-connect';

/** The connection (TLS or required STARTTLS, timeouts: see imap-connect.ts) and what to read. */
export interface ImapOptions extends ImapConnectOptions {
  /** Mailbox to read, default INBOX. */
  mailbox?: string;
  /** Set \Seen on the fetched messages (off by default: we read with BODY.PEEK). */
  markSeen?: boolean;
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
  // Rejects (connection closed) on a refused login, a missing STARTTLS or a timeout.
  const session = await openImap(opts);
  const { client } = session;
  try {
    const lock = await session.command(opts.markSeen ? 'SELECT' : 'EXAMINE', () => client.getMailboxLock(mailbox, { readOnly: !opts.markSeen }));
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
      await session.command('FETCH', async () => {
        for await (const m of client.fetch(range, { uid: true, source: true }, { uid: true })) {
          if (m.uid <= cursor.lastUid || !m.source) continue;
          fetched.push({ uid: m.uid, raw: new Uint8Array(m.source) });
        }
      });
      fetched.sort((a, b) => a.uid - b.uid);
      if (opts.markSeen && fetched.length) {
        await session.command('STORE', () => client.messageFlagsAdd(fetched.map((f) => f.uid).join(','), ['\\Seen'], { uid: true }));
      }
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
    await session.close();
  }
}
