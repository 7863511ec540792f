/**
 * The intake, IMAP and queue channels: their schemas reject bad arguments;
 * the handlers (shared by Electron main and serve) against a real store in a
 * temp folder: import a folder of .eml files, the ranked queue, bulk tag and
 * status, a group reply whose preview is exactly what is saved; the IMAP
 * password encrypted at rest and never returned; and the handlers as serve
 * configures them (browser host, no native dialogs), called in-process through
 * dispatch (no HTTP): path imports are refused there, only uploads are taken.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequest, type ChannelName } from '../../electron/common/contract';
import type { EngineHost } from '../../host/engine-host';
import { CaseRecorder, StoreHost } from '../../host/case-service';
import { createHandlers, dispatch, type Handlers } from '../../host/handlers';
import { IntakeService } from '../../host/intake-service';
import { AesFileSecretBox, SafeStorageSecretBox } from '../../host/secrets';
import { SettingsStore } from '../../host/settings-store';
import { CaseStore } from '../../store/case-store';
import { startFakeImap } from '../services/intake/fake-imap';
import { casesDir } from '../helpers/paths';
import { tempDir } from '../electron/helpers';
import { QUEUE_CLASSES } from '../../analysis/case-vocabulary';

const ABUSEIO = join(casesDir, '..', 'corpus', 'complaints', 'abuseio');
const SYNFLOOD = readFileSync(join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt'), 'utf8');

/** The same backscatter complaint as a mail from another reporter: one group with the original. */
export function backscatterMail(n: number): string {
  return [
    `From: "NOC ${n}" <noc${n}@reporter${n}.example>`,
    `To: abuse@our.example`,
    `Subject: portscan from 198.51.100.80`,
    `Date: Thu, 18 Dec 2025 0${n}:10:00 +0000`,
    `Message-ID: <group-${n}@reporter${n}.example>`,
    '',
    SYNFLOOD.replace(/^Subject:.*\n/, '').replace('192.0.2.66', `192.0.2.${70 + n}`),
  ].join('\n');
}

/** A folder with a few abuse.io samples, the three case complaints, and two more of the backscatter group. */
export function mailFolder(dir: string): string {
  const mail = join(dir, 'mail');
  mkdirSync(mail, { recursive: true });
  for (const f of ['abusehub__Abusehub_Example_1.eml', 'blocklistde__Blocklistde_Example_1.eml', 'cleanmx__Cleanmx_Example_1.eml']) copyFileSync(join(ABUSEIO, f), join(mail, f));
  for (const c of ['seed001-nat-legit', 'seed001-synflood-backscatter', 'seed003-udp770-compromise']) copyFileSync(join(casesDir, c, 'complaint.txt'), join(mail, `${c}.eml`));
  writeFileSync(join(mail, 'group-1.eml'), backscatterMail(1));
  writeFileSync(join(mail, 'group-2.eml'), backscatterMail(2));
  return mail;
}

describe('intake, IMAP and queue channel schemas', () => {
  it.each<[ChannelName, unknown]>([
    ['intake:importPaths', {}],
    ['intake:importPaths', { dialog: 'files', paths: ['/tmp/a.mbox'] }],
    ['intake:importPaths', { dialog: 'anything' }],
    ['intake:importPaths', { paths: [] }],
    ['intake:importPaths', { paths: ['/tmp/a\0b'] }],
    ['intake:importPaths', { uploads: ['/etc/passwd'] }],
    ['intake:importPaths', { uploads: ['upload:xyz'] }],
    ['imap:setAccount', { host: 'imap.example.net', port: 993, tls: true, user: 'u', folder: 'INBOX', markSeen: false }],
    ['imap:setAccount', { host: 'bad host', port: 993, tls: true, user: 'u', folder: 'INBOX', markSeen: false, intervalMinutes: 5 }],
    ['imap:setAccount', { host: 'imap.example.net', port: 70000, tls: true, user: 'u', folder: 'INBOX', markSeen: false, intervalMinutes: 5 }],
    ['imap:setAccount', { host: 'imap.example.net', port: 993, tls: true, user: 'u', folder: 'INBOX', markSeen: false, intervalMinutes: -1 }],
    ['imap:setAccount', { host: 'imap.example.net', port: 993, tls: true, user: 'u\r\nx', folder: 'INBOX', markSeen: false, intervalMinutes: 5 }],
    ['imap:setAccount', { host: 'imap.example.net', port: 993, tls: true, user: 'u', folder: 'INBOX', markSeen: false, intervalMinutes: 5, password: '' }],
    ['imap:test', { host: 'x' }],
    ['imap:fetch', { now: true }],
    ['queue:list', { limit: 0 }],
    ['queue:list', { class: 'urgent' }],
    ['queue:list', { offset: -1 }],
    ['queue:bulk', { action: 'delete', caseIds: [1] }],
    ['queue:bulk', { action: 'tag', caseIds: [], tag: 'x' }],
    ['queue:bulk', { action: 'tag', caseIds: [1], tag: 'bad\ntag' }],
    ['queue:bulk', { action: 'status', caseIds: [1], status: 'open' }],
    ['queue:bulk', { action: 'status', caseIds: [0], status: 'closed' }],
    ['queue:bulk', { action: 'reply', caseIds: [1, 2], subject: 'x', body: '   ' }],
    ['queue:bulk', { action: 'reply', caseIds: [1, 2], subject: 'x', body: 'b', tag: 'extra' }],
    ['queue:groupDraft', { subject: 'x', body: 'y' }],
    ['queue:groupDraft', { caseIds: Array.from({ length: 501 }, (_, i) => i + 1), subject: 'x', body: 'y' }],
  ])('%s rejects %j', (channel, req) => {
    const r = parseRequest(channel, req);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bad_request');
  });

  it('accepts well-formed requests', () => {
    expect(parseRequest('intake:importPaths', { uploads: [`upload:${'a'.repeat(32)}`] }).ok).toBe(true);
    expect(parseRequest('intake:importPaths', { dialog: 'folder' }).ok).toBe(true);
    expect(parseRequest('queue:list', {})).toMatchObject({ ok: true, value: { limit: 100, offset: 0 } });
    expect(parseRequest('queue:list', { class: 'false-positive', limit: 10 }).ok).toBe(true);
    expect(parseRequest('queue:bulk', { action: 'tag', caseIds: [1, 2], tag: ' worm ' })).toMatchObject({ ok: true, value: { tag: 'worm' } });
    expect(parseRequest('queue:bulk', { action: 'reply', caseIds: [1, 2], subject: 'Re: {subject}', body: 'Dear {reporter}' }).ok).toBe(true);
    expect(parseRequest('imap:setAccount', { host: 'imap.example.net', port: 993, tls: true, user: 'abuse@example.net', folder: 'INBOX', markSeen: false, intervalMinutes: 0, password: 'pw' }).ok).toBe(true);
  });
});

describe('the secret boxes', () => {
  const tmp = tempDir('abuse-desk-secret-');
  afterAll(() => tmp.remove());

  it('serve: AES-256-GCM, the key in a separate 0600 file, no plain text on disk', () => {
    const box = new AesFileSecretBox(tmp.dir);
    expect(box.has()).toBe(false);
    box.save('hunter2-très-secret');
    expect(box.load()).toBe('hunter2-très-secret');
    expect(readFileSync(box.file).includes(Buffer.from('hunter2'))).toBe(false);
    expect(statSync(box.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(box.file).mode & 0o777).toBe(0o600);
    expect(statSync(box.keyFile).size).toBe(32);
    // Another key (the data folder moved without keys/): unreadable, not garbage.
    writeFileSync(box.keyFile, Buffer.alloc(32, 7));
    expect(box.load()).toBeNull();
    box.clear();
    expect(box.has()).toBe(false);
  });

  it('Electron: safeStorage encrypts, the file holds its output only', () => {
    const fake = {
      isEncryptionAvailable: () => true,
      encryptString: (p: string) => Buffer.from(`enc:${Buffer.from(p).toString('base64')}`),
      decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'base64').toString(),
    };
    const box = new SafeStorageSecretBox(tmp.dir, fake);
    box.save('pw');
    expect(readFileSync(box.file, 'utf8')).toBe(`enc:${Buffer.from('pw').toString('base64')}`);
    expect(box.load()).toBe('pw');
    expect(() => new SafeStorageSecretBox(tmp.dir, { ...fake, isEncryptionAvailable: () => false }).save('x')).toThrow(/keychain/);
  });
});

describe('intake and queue handlers against a real store', () => {
  const tmp = tempDir('abuse-desk-intake-');
  let stores: StoreHost;
  let intake: IntakeService;
  let handlers: Handlers;
  const changes: string[] = [];
  const call = async <T = unknown>(channel: ChannelName, req: unknown): Promise<T> => {
    const r = await dispatch(handlers, channel, req);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value as T;
  };

  beforeAll(async () => {
    const dataDir = join(tmp.dir, 'data');
    stores = new StoreHost(dataDir, (dir) => CaseStore.open(dir));
    const recorder = new CaseRecorder(stores, () => undefined);
    const settings = new SettingsStore(dataDir);
    intake = new IntakeService({
      stores, dataDir, secrets: new AesFileSecretBox(dataDir), ourNets: () => ['198.51.100.0/24'],
      onImported: (source, s) => changes.push(`${source}:${s.messages}`), imapTimeouts: { connectMs: 2000, greetingMs: 300, loginMs: 2000, commandMs: 2000 },
    });
    handlers = createHandlers({
      engine: { engineVersion: async () => 'test' } as unknown as EngineHost,
      settings,
      info: { host: 'electron', appVersion: '0.0.0', nativeDialogs: true },
      resolveEvidence: async (ref) => ({ path: ref, name: basename(ref) }),
      dialogs: {
        openEvidence: async () => [], openComplaint: async () => null, saveDraft: async () => ({ saved: false }),
        openMailboxes: async () => [],
      },
      cases: { stores, recorder, exportTarget: async () => null, backupDir: async () => join(tmp.dir, 'backup') },
      intake: { service: intake, resolveMailboxPath: async (p) => p },
    });
  });
  afterAll(async () => {
    intake.dispose();
    await stores.close();
    tmp.remove();
  });

  it('imports a folder of .eml files into ranked cases; the same folder again changes nothing', async () => {
    const mail = mailFolder(tmp.dir);
    const r = await call<{ messages: number; counts: Record<string, number>; caseIds: number[]; cancelled: boolean }>('intake:importPaths', { paths: [mail] });
    expect(r.cancelled).toBe(false);
    expect(r.messages).toBe(8);
    expect(r.counts.created).toBe(8);
    expect(changes).toEqual(['import:8']);
    const again = await call<{ counts: Record<string, number> }>('intake:importPaths', { paths: [mail] });
    expect(again.counts['already-imported']).toBe(8);
    // A cancelled dialog imports nothing.
    expect(await call('intake:importPaths', { dialog: 'files' })).toMatchObject({ cancelled: true, messages: 0 });
    // A missing path says so.
    await expect(call('intake:importPaths', { paths: [join(tmp.dir, 'nope.mbox')] })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists the queue ranked with reasons and counts per class', async () => {
    const page = await call<{ items: Array<{ id: number; queueClass: string; rankReason: string; accused: string[] }>; counts: Record<string, number> }>('queue:list', {});
    expect(page.items).toHaveLength(8);
    const order: readonly string[] = QUEUE_CLASSES;
    const classes = page.items.map((i) => order.indexOf(i.queueClass));
    expect(classes.every((c) => c >= 0)).toBe(true);
    expect(classes).toEqual([...classes].sort((a, b) => a - b));
    // Repeat is a view across the classes: every case is counted once in the others.
    expect(Object.entries(page.counts).filter(([c]) => c !== 'repeat').reduce((a, [, b]) => a + b, 0)).toBe(8);
    expect(page.items[0].queueClass).toBe('compromise');
    expect(page.items.every((i) => i.rankReason.length > 0)).toBe(true);
    const fp = await call<{ items: Array<{ queueClass: string }> }>('queue:list', { class: 'false-positive' });
    expect(fp.items.length).toBe(page.counts['false-positive']);
    expect(fp.items.every((i) => i.queueClass === 'false-positive')).toBe(true);
  });

  it('tags and closes in bulk; closed cases leave the queue', async () => {
    const page = await call<{ items: Array<{ id: number }> }>('queue:list', {});
    const ids = page.items.slice(0, 2).map((i) => i.id);
    expect(await call('queue:bulk', { action: 'tag', caseIds: ids, tag: 'triaged' })).toEqual({ changed: ids, unchanged: [] });
    expect(await call('queue:bulk', { action: 'tag', caseIds: ids, tag: 'triaged' })).toEqual({ changed: [], unchanged: ids });
    expect((await call<{ tags: string[] }>('cases:get', { id: ids[0] })).tags).toContain('triaged');
    const last = page.items.at(-1)!.id;
    await call('queue:bulk', { action: 'status', caseIds: [last], status: 'closed' });
    const after = await call<{ items: Array<{ id: number }> }>('queue:list', {});
    expect(after.items.map((i) => i.id)).not.toContain(last);
    await call('queue:bulk', { action: 'status', caseIds: [last], status: 'new' });
    await expect(call('queue:bulk', { action: 'status', caseIds: [99999], status: 'closed' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('previews a group reply per case, then saves exactly that as a draft on each case', async () => {
    const page = await call<{ items: Array<{ id: number; groupKey: string | null; accused: string[] }> }>('queue:list', {});
    const byKey = new Map<string, number[]>();
    for (const i of page.items) if (i.groupKey) byKey.set(i.groupKey, [...(byKey.get(i.groupKey) ?? []), i.id]);
    const [key, ids] = [...byKey.entries()].find(([, v]) => v.length >= 3)!;
    expect(key).toMatch(/^backscatter\|198\.51\.100\.80\|/);
    const template = { subject: 'Re: {subject}', body: 'Dear {reporter},\n\n{accused} only answered forged packets:\n{quoted_lines}\nat {times}.\n' };
    const previews = await call<Array<{ caseId: number; subject: string; body: string; to: string | null }>>('queue:groupDraft', { caseIds: ids, ...template });
    expect(previews.map((p) => p.caseId)).toEqual(ids);
    expect(new Set(previews.map((p) => p.body)).size).toBe(ids.length); // personalised
    expect(previews.every((p) => p.body.includes('198.51.100.80') && !/\{\w+\}/.test(p.body))).toBe(true);
    expect(previews.some((p) => p.body.startsWith('Dear NOC 1,'))).toBe(true);
    const saved = await call<{ changed: number[]; drafts: Array<{ caseId: number; subject: string; body: string; origin: string }> }>('queue:bulk', { action: 'reply', caseIds: ids, ...template });
    expect(saved.changed).toEqual(ids);
    for (const p of previews) {
      const d = saved.drafts.find((x) => x.caseId === p.caseId)!;
      expect({ subject: d.subject, body: d.body }).toEqual({ subject: p.subject, body: p.body });
    }
    const detail = await call<{ drafts: Array<{ body: string }> }>('cases:get', { id: ids[0] });
    expect(detail.drafts.at(-1)!.body).toBe(previews[0].body);
    // Cases of different groups are refused, by the preview and by the save.
    const other = page.items.find((i) => i.groupKey !== key)!.id;
    await expect(call('queue:groupDraft', { caseIds: [ids[0], other], ...template })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('queue:bulk', { action: 'reply', caseIds: [ids[0], other], ...template })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('keeps the IMAP account without ever returning the password; test and fetch say why they fail', async () => {
    expect(await call('imap:getAccount', {})).toBeNull();
    await expect(call('imap:test', {})).rejects.toMatchObject({ code: 'not_found' });
    // A port nobody listens on.
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
    });
    const view = await call<Record<string, unknown>>('imap:setAccount', {
      host: '127.0.0.1', port, tls: false, user: 'abuse@example.net', folder: 'INBOX', markSeen: false, intervalMinutes: 0, password: 's3cret-pw',
    });
    expect(view).toMatchObject({ host: '127.0.0.1', port, hasPassword: true, passwordStorage: 'aes-file', lastFetch: null });
    expect(JSON.stringify(view)).not.toContain('s3cret-pw');
    const dataDir = join(tmp.dir, 'data');
    expect(readFileSync(join(dataDir, 'imap-account.json'), 'utf8')).not.toContain('s3cret-pw');
    expect(readFileSync(join(dataDir, 'imap-password.enc')).includes(Buffer.from('s3cret-pw'))).toBe(false);
    expect(existsSync(join(dataDir, 'keys', 'imap.key'))).toBe(true);
    expect(JSON.stringify(await call('imap:getAccount', {}))).not.toContain('s3cret-pw');
    await expect(call('imap:test', {})).rejects.toMatchObject({ code: 'mail_error' });
    await expect(call('imap:fetch', {})).rejects.toMatchObject({ code: 'mail_error' });
    expect(await call('imap:getAccount', {})).toMatchObject({ lastFetch: { ok: false } });
    // Saving without a password keeps the stored one; clearPassword forgets it.
    await call('imap:setAccount', { host: '127.0.0.1', port, tls: false, user: 'abuse@example.net', folder: 'INBOX', markSeen: true, intervalMinutes: 5 });
    expect(await call('imap:getAccount', {})).toMatchObject({ hasPassword: true, markSeen: true, intervalMinutes: 5 });
    await call('imap:setAccount', { host: '127.0.0.1', port, tls: false, user: 'abuse@example.net', folder: 'INBOX', markSeen: true, intervalMinutes: 0, clearPassword: true });
    expect(await call('imap:getAccount', {})).toMatchObject({ hasPassword: false, passwordStorage: 'none' });
  });

  it('tests the account on screen without saving it, and a refused connection names host and port', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
    });
    const before = await call('imap:getAccount', {});
    const onScreen = { host: '127.0.0.1', port, tls: false, user: 'typed@example.net', folder: 'Abuse', markSeen: true, intervalMinutes: 1, password: 'typed-pw' };
    const refused = call('imap:test', { account: onScreen });
    await expect(refused).rejects.toMatchObject({ code: 'mail_error' });
    await expect(refused).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}[\\s\\S]*refused`));
    // Nothing of what was typed was kept: not the account, not the password, not the timer.
    expect(await call('imap:getAccount', {})).toEqual(before);

    // A real server, tried before Save with the typed password.
    const plain = await startFakeImap({ authPlain: true });
    try {
      const typed = { ...onScreen, port: plain.port, user: 'operator', folder: 'INBOX', allowPlaintextLogin: true, password: 'S3cret-pw' };
      expect(await call('imap:test', { account: typed })).toEqual({ folder: 'INBOX', messages: 0, newMessages: 0 });
      expect(await call('imap:getAccount', {})).toEqual(before);
    } finally {
      await plain.stop();
    }
  });

  it('refuses a cleartext login unless the account allows it, and a silent server fails test and fetch with the phase', async () => {
    const plain = await startFakeImap({ authPlain: true });
    const silent = await startFakeImap({ silent: true });
    try {
      const account = { host: '127.0.0.1', port: plain.port, tls: false, user: 'operator', folder: 'INBOX', markSeen: false, intervalMinutes: 0 };
      expect(await call('imap:setAccount', { ...account, password: 'S3cret-pw' })).toMatchObject({ allowPlaintextLogin: false });
      const refused = call('imap:test', {});
      await expect(refused).rejects.toMatchObject({ code: 'mail_error' });
      await expect(refused).rejects.toThrow(new RegExp(`^IMAP: the server 127\\.0\\.0\\.1:${plain.port} offered no STARTTLS.*Allow unencrypted login \\(unsafe\\)`));
      await expect(call('imap:fetch', {})).rejects.toThrow(/offered no STARTTLS/);
      const sent = plain.cleartext();
      expect(sent).not.toMatch(/AUTHENTICATE|LOGIN/);
      expect(sent).not.toContain(Buffer.from('\0operator\0S3cret-pw').toString('base64'));

      expect(await call('imap:setAccount', { ...account, allowPlaintextLogin: true })).toMatchObject({ allowPlaintextLogin: true, hasPassword: true });
      expect(await call('imap:test', {})).toEqual({ folder: 'INBOX', messages: 0, newMessages: 0 });
      expect(await call('imap:fetch', {})).toMatchObject({ messages: 0 });
      expect(plain.cleartext()).toContain(Buffer.from('\0operator\0S3cret-pw').toString('base64'));

      await call('imap:setAccount', { ...account, port: silent.port, allowPlaintextLogin: true });
      await expect(call('imap:test', {})).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${silent.port} did not answer in time while waiting for the server's greeting`));
      await expect(call('imap:fetch', {})).rejects.toMatchObject({ code: 'mail_error', message: expect.stringMatching(/greeting/) });
    } finally {
      await Promise.all([plain.stop(), silent.stop()]);
    }
  });

  it('answers store_unavailable without intake deps, and unsupported for paths where only uploads are accepted', async () => {
    const bare = createHandlers({
      engine: { engineVersion: async () => 'test' } as unknown as EngineHost,
      settings: new SettingsStore(join(tmp.dir, 'bare')),
      info: { host: 'browser', appVersion: '0.0.0', nativeDialogs: false },
      resolveEvidence: async () => { throw new Error('no'); },
    });
    expect(await dispatch(bare, 'queue:list', {})).toMatchObject({ ok: false, error: { code: 'store_unavailable' } });
    expect(await dispatch(bare, 'imap:getAccount', {})).toMatchObject({ ok: false, error: { code: 'store_unavailable' } });
    const servelike = createHandlers({
      engine: { engineVersion: async () => 'test' } as unknown as EngineHost,
      settings: new SettingsStore(join(tmp.dir, 'bare')),
      info: { host: 'browser', appVersion: '0.0.0', nativeDialogs: false },
      resolveEvidence: async () => { throw new Error('no'); },
      intake: { service: intake },
    });
    expect(await dispatch(servelike, 'intake:importPaths', { paths: ['/etc'] })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(await dispatch(servelike, 'intake:importPaths', { dialog: 'files' })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('heads the first queue page with the messages that could not be read (quarantined), not the later pages', async () => {
    const store = await stores.get();
    const q = await store.quarantineMessage({ raw: Buffer.from('Subject: poison\n\nx'), source: { kind: 'imap', mailbox: 'INBOX', uid: 41, account: 'u@h:993' }, error: 'could not be read as a complaint: boom' });
    const first = await call<{ unreadable?: Array<{ id: number; sourceName: string; error: string }> }>('queue:list', {});
    expect(first.unreadable?.map((m) => [m.id, m.sourceName, m.error])).toEqual([[q.id, 'INBOX UID 41', 'could not be read as a complaint: boom']]);
    expect((await call<{ unreadable?: unknown[] }>('queue:list', { class: 'false-positive' })).unreadable).toHaveLength(1);
    expect((await call<{ unreadable?: unknown[] }>('queue:list', { offset: 100 })).unreadable).toBeUndefined();
  });
});
