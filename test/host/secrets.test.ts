/**
 * host/secrets.ts: safeStorage is trusted only with a real keychain. On
 * Linux without one, Chromium's `basic_text` backend (a hard-coded key) still
 * reports encryption as available; the box must refuse to write then.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { keychainDecision, SafeStorageSecretBox, type SafeStorageLike } from '../../host/secrets';
import { tempDir } from '../electron/helpers';

const tmp = tempDir('ad-secrets-');
afterAll(() => tmp.remove());

/** A stand-in safeStorage (XOR, so a test can tell that the stored bytes are not the password). */
function fakeSafe(backend: string | (() => string) | undefined, available = true): SafeStorageLike {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (p) => xor(Buffer.from(p, 'utf8')),
    decryptString: (b) => xor(b).toString('utf8'),
    ...(backend === undefined ? {} : { getSelectedStorageBackend: typeof backend === 'function' ? backend : () => backend }),
  };
}

describe('keychainDecision', () => {
  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])('trusts Linux %s', (backend) => {
    expect(keychainDecision('linux', fakeSafe(backend))).toEqual({ safe: true });
  });

  it('refuses basic_text, saying why', () => {
    const d = keychainDecision('linux', fakeSafe('basic_text'));
    expect(d.safe).toBe(false);
    if (!d.safe) expect(d.why).toMatch(/basic_text/);
  });

  it('refuses an unknown or failing backend query on Linux', () => {
    expect(keychainDecision('linux', fakeSafe('unknown')).safe).toBe(false);
    expect(keychainDecision('linux', fakeSafe(() => { throw new Error('not ready'); })).safe).toBe(false);
  });

  it('refuses when encryption is not available at all, on any platform', () => {
    for (const p of ['linux', 'darwin', 'win32']) expect(keychainDecision(p, fakeSafe('gnome_libsecret', false)).safe).toBe(false);
  });

  it('trusts macOS and Windows (Keychain, DPAPI), where there is no backend to ask', () => {
    expect(keychainDecision('darwin', fakeSafe(undefined))).toEqual({ safe: true });
    expect(keychainDecision('win32', fakeSafe('basic_text'))).toEqual({ safe: true });
  });
});

describe('SafeStorageSecretBox', () => {
  it('writes nothing with basic_text and says so', () => {
    const box = new SafeStorageSecretBox(tmp.dir, fakeSafe('basic_text'), 'basic', 'linux');
    expect(() => box.save('pw-1')).toThrow(/basic_text.*not stored/s);
    expect(existsSync(box.file)).toBe(false);
    expect(box.has()).toBe(false);
  });

  it('stores with a real keychain', () => {
    const box = new SafeStorageSecretBox(tmp.dir, fakeSafe('gnome_libsecret'), 'real', 'linux');
    box.save('pw-2');
    expect(box.load()).toBe('pw-2');
  });
});
