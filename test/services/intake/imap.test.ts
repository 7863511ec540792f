import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchImap, type ImapCursor, type ImapOptions } from '../../../services/intake/imap';
import type { IntakeMessage } from '../../../services/intake/message';
import { corpusDir } from '../../helpers/paths';
import { dovecotSkip, dovecotTitle, startDovecot, type RunningDovecot } from './dovecot';

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

describe.skipIf(dovecotSkip !== null)(dovecotTitle('IMAP intake against Dovecot'), () => {
  let server: RunningDovecot;
  let opts: ImapOptions;
  const seeded = samples();

  beforeAll(async () => {
    server = await startDovecot(seeded);
    // This Dovecot has no TLS (ssl = no): a cleartext login is allowed for it explicitly.
    opts = { host: '127.0.0.1', port: server.port, secure: false, user: server.user, password: server.password, mailbox: 'INBOX', allowPlaintextLogin: true };
  });

  afterAll(() => server?.stop());

  it('refuses to log in without the cleartext opt-in: this Dovecot offers no STARTTLS', async () => {
    await expect(all(fetchImap({ ...opts, allowPlaintextLogin: false }, { lastUid: 0 }))).rejects.toThrow(/offered no STARTTLS/);
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
    const c = await server.client();
    const status = await c.status('INBOX', { messages: true, unseen: true });
    await c.logout();
    expect(status).toMatchObject({ messages: seeded.length, unseen: seeded.length });
  });

  it('fetches only what arrived since, and marks it seen when asked', async () => {
    const cursor: ImapCursor = { lastUid: 0 };
    await all(fetchImap(opts, cursor));
    const c = await server.client();
    await c.append('INBOX', seeded[0]);
    await c.logout();
    const next = await all(fetchImap({ ...opts, markSeen: true }, cursor));
    expect(next).toHaveLength(1);
    expect((next[0].source as { uid: number }).uid).toBe(seeded.length + 1);
    const c2 = await server.client();
    const status = await c2.status('INBOX', { messages: true, unseen: true });
    await c2.logout();
    expect(status).toMatchObject({ messages: seeded.length + 1 });
    expect(status && status.unseen).toBe(seeded.length); // the new one was marked seen
  });
});
