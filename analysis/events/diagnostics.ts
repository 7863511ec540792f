/**
 * Malformed input is recorded, not thrown (Zeek's "weird" log): a reader notes
 * what it could not read, where, and carries on with the next record.
 */

export interface Weird {
  /** Stable machine-readable code, e.g. `truncated_record`, `bad_magic`. */
  code: string;
  file: string;
  /** Byte offset in the file where the problem starts. */
  offset?: number;
  /** 1-based line number for text evidence. */
  line?: number;
  message: string;
}

/** A fault that stops one file (not the run): corrupt framing we cannot resynchronise from, a hard limit. */
export class InputError extends Error {
  constructor(
    readonly code: string,
    readonly file: string,
    readonly offset: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** Raised when the caller's AbortSignal fires. */
export class AbortError extends Error {
  constructor(message = 'analysis cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

const MAX_PER_CODE = 20;

export class Diagnostics {
  readonly weirds: Weird[] = [];
  /** How many of each code were seen, including those past the per-code cap. */
  readonly counts = new Map<string, number>();

  weird(w: Weird): void {
    const n = (this.counts.get(w.code) ?? 0) + 1;
    this.counts.set(w.code, n);
    // One broken file can produce millions of identical complaints; keep the first few.
    if (n <= MAX_PER_CODE) this.weirds.push(w);
  }

  /** Human-readable lines: "file: offset 1234: message", with a summary of suppressed repeats. */
  messages(): string[] {
    const out = this.weirds.map(formatWeird);
    for (const [code, n] of this.counts) {
      if (n > MAX_PER_CODE) out.push(`${n - MAX_PER_CODE} more ${code} warnings not shown`);
    }
    return out;
  }
}

export function formatWeird(w: Weird): string {
  const where = w.line !== undefined ? `line ${w.line}` : w.offset !== undefined ? `byte offset ${w.offset}` : '';
  return where ? `${w.file}: ${where}: ${w.message}` : `${w.file}: ${w.message}`;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}
