/**
 * Budgets for what one input may cost, in one place. A complaint comes from
 * anyone on the internet: a 7 MB mail of small zips can inflate to gigabytes,
 * so every reader that decodes, inflates or splits text takes its room from
 * these, stops where the room ends, keeps what it read and says which part
 * hit which limit. Plain numbers: a caller (a test, an operator's setting)
 * passes a partial object to `limitsWith`.
 */

export interface MessageLimits {
  /** Bytes decoded from one message's attachments (zip entries inflated, text attachments read), together. */
  decodedBytes: number;
  /** Attachments read for facts, zip entries included. */
  attachments: number;
  /** Zip archives opened inside one another: 1 opens a zip attached to the mail, not a zip inside it. */
  zipDepth: number;
  /** Entries read from one zip. */
  zipEntries: number;
  /** Bytes one zip entry may inflate to. */
  zipEntryBytes: number;
  /** Bytes of one text attachment read for facts. */
  attachmentTextBytes: number;
  /** Characters of the body analysed for addresses, times and words. */
  textChars: number;
  /** Characters of text (body first, then attachments) kept for reading quoted log lines. */
  quotedChars: number;
  /**
   * Bytes of one message taken from a mailbox: read, parsed and kept in its
   * rows. Past this the intake keeps the message whole as a file beside its
   * case (streamed, never in memory) and reads this much of it.
   */
  rawBytes: number;
}

export interface FileLimits {
  /** Records (log lines read as events, CSV rows) taken from one file or one quoted text. */
  records: number;
  /** Characters of one line; a longer line is skipped, not read. */
  lineLength: number;
}

export interface Limits {
  message: MessageLimits;
  file: FileLimits;
}

const MiB = 1024 * 1024;

/**
 * What a real complaint never needs more of. Shadowserver's daily CSV
 * (the largest real attachment) is a few MiB zipped into one entry; the
 * totals keep the complaint reader under about 300 MB whatever arrives.
 */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  message: Object.freeze({
    decodedBytes: 64 * MiB,
    attachments: 100,
    zipDepth: 1,
    zipEntries: 20,
    zipEntryBytes: 20 * MiB,
    attachmentTextBytes: 4 * MiB,
    textChars: 2 * MiB,
    quotedChars: 4 * MiB,
    // Beyond the common providers' limits (25 to 35 MB); a 200 MB message imports in about 400 MB.
    rawBytes: 32 * MiB,
  }),
  file: Object.freeze({
    records: 20_000,
    lineLength: 4096,
  }),
});

/** The default limits with some replaced. */
export function limitsWith(over: { message?: Partial<MessageLimits>; file?: Partial<FileLimits> } = {}): Limits {
  return { message: { ...DEFAULT_LIMITS.message, ...over.message }, file: { ...DEFAULT_LIMITS.file, ...over.file } };
}

/** "64 MiB", "3.5 KiB", "512 bytes": for warnings an operator reads. */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * One message's running account against its limits: readers ask for room
 * before they decode and report what they used. Not shared between messages.
 */
export class MessageBudget {
  readonly limits: MessageLimits;
  decoded = 0;
  attachments = 0;
  quoted = 0;
  /** Parts not read because a limit was spent, for one summary warning. */
  readonly skipped: string[] = [];
  /** The limit that stopped reading first, once it happened (its warning is written then). */
  spent?: string;

  constructor(limits: MessageLimits) {
    this.limits = limits;
  }

  /** Bytes that may still be decoded. */
  decodedRoom(): number {
    return Math.max(0, this.limits.decodedBytes - this.decoded);
  }

  useDecoded(n: number): void {
    this.decoded += n;
  }

  /** Count one more attachment read; false when the attachment limit is already reached. */
  takeAttachment(): boolean {
    if (this.attachments >= this.limits.attachments) return false;
    this.attachments++;
    return true;
  }

  /** Characters of quoted text that may still be kept. */
  quotedRoom(): number {
    return Math.max(0, this.limits.quotedChars - this.quoted);
  }

  useQuoted(n: number): void {
    this.quoted += n;
  }
}
