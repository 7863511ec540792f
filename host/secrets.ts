/**
 * Where the IMAP password is kept. Never in settings.json, never sent to the
 * renderer: main / serve read it only to log in.
 *
 * - Electron: `safeStorage.encryptString` (the OS keychain's key) in
 *   DATA/imap-password.bin; refused when Linux falls back to `basic_text`
 *   (electron/main/secret-storage.ts then offers to keep it for the session).
 * - serve: AES-256-GCM in DATA/imap-password.enc, with the 32-byte key in a
 *   separate file, DATA/keys/imap.key (0600, in a 0700 folder). Whoever can read both files
 *   can read the password; moving the data folder without keys/ makes it unreadable.
 *
 * No Electron import.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CodedError } from '../electron/common/result';

export interface SecretBox {
  /** 'session': kept in memory only, until the process ends (no safe place on disk). */
  readonly kind: 'safeStorage' | 'aes-file' | 'session';
  /** Is a secret stored? */
  has(): boolean;
  /** The secret, or null (none, or it cannot be decrypted here). */
  load(): string | null;
  save(secret: string): void;
  clear(): void;
}

/** Write a file atomically, readable by the owner only. */
export function writePrivate(file: string, data: Buffer | string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
  chmodSync(file, 0o600);
}

const MAGIC = Buffer.from('ADSEC1');

/** AES-256-GCM: file = MAGIC | 12-byte IV | 16-byte tag | ciphertext; the key in its own 0600 file. */
export class AesFileSecretBox implements SecretBox {
  readonly kind = 'aes-file' as const;
  readonly file: string;
  readonly keyFile: string;

  constructor(dataDir: string, name = 'imap-password') {
    this.file = join(dataDir, `${name}.enc`);
    this.keyFile = join(dataDir, 'keys', 'imap.key');
  }

  private key(create: boolean): Buffer | null {
    if (existsSync(this.keyFile)) {
      const k = readFileSync(this.keyFile);
      if (k.length === 32) return k;
      if (!create) return null;
    }
    if (!create) return null;
    const k = randomBytes(32);
    writePrivate(this.keyFile, k);
    return k;
  }

  has(): boolean {
    return existsSync(this.file);
  }

  load(): string | null {
    try {
      const blob = readFileSync(this.file);
      const key = this.key(false);
      if (!key || blob.length < MAGIC.length + 28 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return null;
      const iv = blob.subarray(MAGIC.length, MAGIC.length + 12);
      const tag = blob.subarray(MAGIC.length + 12, MAGIC.length + 28);
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAuthTag(tag);
      return Buffer.concat([d.update(blob.subarray(MAGIC.length + 28)), d.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  save(secret: string): void {
    const key = this.key(true)!;
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
    writePrivate(this.file, Buffer.concat([MAGIC, iv, c.getAuthTag(), body]));
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}

/** The parts of Electron's safeStorage used here (injected, so this file has no Electron import). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6', 'basic_text' or 'unknown'. */
  getSelectedStorageBackend?(): string;
}

export type KeychainDecision = { safe: true } | { safe: false; why: string };

/**
 * Whether safeStorage really protects a secret. On Linux without a running
 * keyring (GNOME libsecret, KWallet) Chromium falls back to `basic_text`,
 * whose key is hard-coded in Chromium: `isEncryptionAvailable()` still says
 * true, but anyone who can read the file can decrypt it.
 */
export function keychainDecision(platform: string, safe: SafeStorageLike): KeychainDecision {
  if (!safe.isEncryptionAvailable()) return { safe: false, why: 'No system keychain is available to encrypt the password.' };
  if (platform !== 'linux' || !safe.getSelectedStorageBackend) return { safe: true };
  let backend: string;
  try {
    backend = safe.getSelectedStorageBackend();
  } catch {
    backend = 'unknown';
  }
  if (backend === 'basic_text') {
    return { safe: false, why: 'The system keychain is not available (safeStorage uses basic_text, a key built into Chromium): anyone who can read the data folder could decrypt a stored password. Start GNOME Keyring or KWallet to store it safely.' };
  }
  if (backend === 'unknown' || !backend) return { safe: false, why: 'It cannot be told which keychain safeStorage uses, so the password cannot be stored safely.' };
  return { safe: true };
}

/** Electron: the OS keychain encrypts; the ciphertext lives in DATA/imap-password.bin. */
export class SafeStorageSecretBox implements SecretBox {
  readonly kind = 'safeStorage' as const;
  readonly file: string;

  constructor(dataDir: string, private readonly safe: SafeStorageLike, name = 'imap-password', private readonly platform: string = process.platform) {
    this.file = join(dataDir, `${name}.bin`);
  }

  decision(): KeychainDecision {
    return keychainDecision(this.platform, this.safe);
  }

  has(): boolean {
    return existsSync(this.file);
  }

  load(): string | null {
    try {
      return this.safe.decryptString(readFileSync(this.file));
    } catch {
      return null;
    }
  }

  save(secret: string): void {
    if (!this.safe.isEncryptionAvailable()) throw new Error('the system keychain is not available: the password cannot be stored safely');
    const d = this.decision();
    if (!d.safe) throw new CodedError('unsupported', `${d.why} The password was not stored.`);
    writePrivate(this.file, this.safe.encryptString(secret));
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
