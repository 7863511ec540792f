/**
 * electron/main/secret-storage.ts: with no safe keychain (Linux basic_text)
 * the password is never written; the operator is told why and may keep it
 * for the session, in memory only.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SafeStorageSecretBox, type SafeStorageLike } from '../../../host/secrets';
import { DesktopSecretBox, offerSessionOnly, storedSecret, type SecretField, type SessionChoiceAsk } from '../../../electron/main/secret-storage';
import { tempDir } from '../helpers';

const tmp = tempDir('ad-secret-storage-');
afterAll(() => tmp.remove());
let n = 0;

function box(backend: string): { box: DesktopSecretBox; dir: string; file: string } {
  const dir = join(tmp.dir, `d${n++}`);
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  const safe: SafeStorageLike = {
    isEncryptionAvailable: () => true,
    encryptString: (p) => xor(Buffer.from(p, 'utf8')),
    decryptString: (b) => xor(b).toString('utf8'),
    getSelectedStorageBackend: () => backend,
  };
  const keychain = new SafeStorageSecretBox(dir, safe, 'imap-password', 'linux');
  return { box: new DesktopSecretBox(keychain), dir, file: keychain.file };
}

const setAccount = { host: 'imap.example.net', port: 993, tls: true, user: 'u', folder: 'INBOX', markSeen: false, intervalMinutes: 0, password: 'S3cret-pw' };

const imap = (b: DesktopSecretBox): SecretField[] => [{ channel: 'imap:setAccount', field: 'password', label: 'IMAP password', box: b }];

function answering(button: number): { ask: SessionChoiceAsk; asked: string[] } {
  const asked: string[] = [];
  return { asked, ask: async (o) => { asked.push(`${o.message}\n${o.detail}`); return button; } };
}

describe('DesktopSecretBox', () => {
  it('uses the keychain when there is a real one', () => {
    const b = box('kwallet5');
    expect(b.box.needsChoice()).toBeUndefined();
    b.box.save('pw');
    expect(existsSync(b.file)).toBe(true);
    expect(b.box.kind).toBe('safeStorage');
    expect(b.box.load()).toBe('pw');
  });

  it('refuses to store with basic_text until the session-only choice, then keeps it in memory only', () => {
    const b = box('basic_text');
    expect(b.box.needsChoice()).toMatch(/basic_text/);
    expect(() => b.box.save('pw')).toThrow(/not stored/);
    expect(b.box.has()).toBe(false);
    b.box.sessionOnly = true;
    b.box.save('pw');
    expect(b.box.kind).toBe('session');
    expect(b.box.has()).toBe(true);
    expect(b.box.load()).toBe('pw');
    expect(existsSync(b.dir) ? readdirSync(b.dir) : []).toEqual([]);
    b.box.clear();
    expect(b.box.has()).toBe(false);
    expect(b.box.load()).toBeNull();
  });
});

describe('offerSessionOnly', () => {
  it('asks only for a call that stores a password where no safe keychain exists', async () => {
    const safe = box('gnome_libsecret');
    const a = answering(1);
    expect(await offerSessionOnly('imap:setAccount', setAccount, imap(safe.box), a.ask)).toBeUndefined();
    const unsafe = box('basic_text');
    expect(await offerSessionOnly('imap:setAccount', { ...setAccount, password: undefined }, imap(unsafe.box), a.ask)).toBeUndefined();
    expect(await offerSessionOnly('imap:test', {}, imap(unsafe.box), a.ask)).toBeUndefined();
    expect(a.asked).toEqual([]);
    expect(storedSecret(imap(unsafe.box), 'imap:setAccount', null)).toBeUndefined();
  });

  it('says why and keeps the password for the session when the operator chooses that', async () => {
    const b = box('basic_text');
    const a = answering(1);
    expect(await offerSessionOnly('imap:setAccount', setAccount, imap(b.box), a.ask)).toBeUndefined();
    expect(a.asked).toHaveLength(1);
    expect(a.asked[0]).toMatch(/IMAP password for this session only[\s\S]*basic_text[\s\S]*not write it to disk/);
    b.box.save(setAccount.password);
    expect(b.box.kind).toBe('session');
    // Asked once per session.
    expect(await offerSessionOnly('imap:setAccount', setAccount, imap(b.box), a.ask)).toBeUndefined();
    expect(a.asked).toHaveLength(1);
  });

  it('asks for each secret on its own, naming it (the SMTP password of the reply settings)', async () => {
    const i = box('basic_text');
    const s = box('basic_text');
    const fields: SecretField[] = [...imap(i.box), { channel: 'reply:setSettings', field: 'smtpPassword', label: 'SMTP password', box: s.box }];
    const a = answering(1);
    expect(await offerSessionOnly('reply:setSettings', { fromAddress: 'abuse@example.net', signature: '', smtp: null, smtpPassword: 'pw' }, fields, a.ask)).toBeUndefined();
    expect(a.asked[0]).toMatch(/SMTP password for this session only/);
    expect(s.box.sessionOnly).toBe(true);
    expect(i.box.sessionOnly).toBe(false);
  });

  it('answers the call "cancelled" and stores nothing when the operator cancels', async () => {
    const b = box('basic_text');
    const r = await offerSessionOnly('imap:setAccount', setAccount, imap(b.box), answering(0).ask);
    expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(r && !r.ok && r.error.message).toMatch(/basic_text.*IMAP password was not stored/s);
    expect(b.box.sessionOnly).toBe(false);
    expect(b.box.has()).toBe(false);
  });
});
