/**
 * The desktop app's IMAP password: in the OS keychain through safeStorage,
 * or, when safeStorage has no safe backend (Linux `basic_text`), nowhere on
 * disk. Then the operator is told why and may keep the password in memory
 * for this session only. No Electron import: the dialog is injected.
 */
import type { Result } from '../common/result';
import { err } from '../common/result';
import type { SafeStorageSecretBox, SecretBox } from '../../host/secrets';

export class DesktopSecretBox implements SecretBox {
  private memory: string | null = null;
  /** The operator chose to keep the password for this session only. */
  sessionOnly = false;

  constructor(private readonly keychain: SafeStorageSecretBox) {}

  get kind(): 'safeStorage' | 'session' {
    return this.memory !== null ? 'session' : 'safeStorage';
  }

  /** Why a password cannot be stored safely here, while the operator has not chosen the session-only way. */
  needsChoice(): string | undefined {
    if (this.sessionOnly) return undefined;
    const d = this.keychain.decision();
    return d.safe ? undefined : d.why;
  }

  has(): boolean {
    return this.memory !== null || this.keychain.has();
  }

  load(): string | null {
    return this.memory ?? this.keychain.load();
  }

  save(secret: string): void {
    if (this.keychain.decision().safe) {
      this.keychain.save(secret);
      this.memory = null;
      return;
    }
    // Throws, saying why, unless the operator chose the session.
    if (!this.sessionOnly) this.keychain.save(secret);
    this.memory = secret;
  }

  clear(): void {
    this.memory = null;
    this.keychain.clear();
  }
}

export interface SessionChoiceAsk {
  (opts: { type: 'warning'; title: string; message: string; detail: string; buttons: string[]; defaultId: number; cancelId: number; noLink: boolean }): Promise<number>;
}

/** A contract call that stores a secret: its channel, the request field holding it, and the box it goes to. */
export interface SecretField {
  channel: string;
  field: string;
  /** "IMAP password", "SMTP password". */
  label: string;
  box: DesktopSecretBox;
}

/** The secret field this call stores, if any (e.g. `imap:setAccount` with `password`). */
export function storedSecret(fields: readonly SecretField[], channel: string, raw: unknown): SecretField | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  return fields.find((f) => f.channel === channel && typeof (raw as Record<string, unknown>)[f.field] === 'string');
}

/**
 * Before a call that stores a password where no safe keychain exists: say
 * so and offer the session-only choice. Undefined: go on with the call; a
 * Result: answer the call with it (the operator cancelled).
 */
export async function offerSessionOnly(channel: string, raw: unknown, fields: readonly SecretField[], ask: SessionChoiceAsk): Promise<Result<never> | undefined> {
  const secret = storedSecret(fields, channel, raw);
  if (!secret) return undefined;
  const box = secret.box;
  const why = box.needsChoice();
  if (!why) return undefined;
  const button = await ask({
    type: 'warning',
    title: 'The password cannot be stored safely',
    message: `Keep the ${secret.label} for this session only?`,
    detail: `${why}\n\nAbuse Desk will not write it to disk. It can keep it in memory until the app closes; you would enter it again next time.`,
    buttons: ['Cancel', 'Keep for this session only'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  if (button !== 1) return err('cancelled', `${why} The ${secret.label} was not stored.`);
  box.sessionOnly = true;
  return undefined;
}
