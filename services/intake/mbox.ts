import { createReadStream } from 'node:fs';
import { DEFAULT_LIMITS } from '../../analysis/limits';
import { concat, MessageBytes } from './message-bytes';
import { describeMessage, type IntakeMessage } from './message';

const FROM = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "
/**
 * Bytes of one message read (parsed, and kept in its row): analysis/limits.ts
 * `message.rawBytes`. Past this, with a spool folder, the whole message is
 * written there as it is read and handed on beside its first bytes (the
 * store keeps it as a file); without one the rest is read past and counted.
 * Either way a warning says so, and the next message is read normally.
 */
export const MAX_MESSAGE_BYTES = DEFAULT_LIMITS.message.rawBytes;

/**
 * A line longer than this is told apart (separator or content) by its start
 * and passed on as it arrives, not gathered first: what decides is its first
 * bytes ("From ", the ">" of an escaped one), and a line may be 200 MB.
 */
const LINE_HEAD = 64 * 1024;

export interface MboxOptions {
  maxMessageBytes?: number;
  /** Where a message over the bound is written whole (the store's spool folder); without it the rest is only counted. */
  spoolDir?: string;
}

function startsWithFrom(line: Uint8Array, at = 0): boolean {
  if (line.length < at + 5) return false;
  for (let i = 0; i < 5; i++) if (line[at + i] !== FROM[i]) return false;
  return true;
}

/** mboxrd: ">From ", ">>From " ... lose one ">" (mboxo escaped only ">From ", which this also undoes). */
function unescape(line: Uint8Array): Uint8Array {
  let i = 0;
  while (i < line.length && line[i] === 0x3e) i++;
  return i > 0 && startsWithFrom(line, i) ? line.subarray(1) : line;
}

/**
 * Messages of an mbox file, streamed: one message's first bytes in memory at
 * a time, linear in the file's size whatever its line lengths. A message
 * starts at a "From " line at the top of the file or after an empty line; the
 * empty line before the next "From " belongs to the separator. Text before
 * the first "From " line is yielded as a message with a warning. (A number
 * as the second argument is the message bound.)
 */
export async function* readMbox(path: string, options: MboxOptions | number = {}): AsyncGenerator<IntakeMessage> {
  const opts = typeof options === 'number' ? { maxMessageBytes: options } : options;
  const bound = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  let index = 0;
  let bytes = new MessageBytes(bound, opts.spoolDir);
  let started = false;
  let prevBlank = true;
  let pendingBlank: Uint8Array | null = null;
  // The start of a line that runs past the chunk, kept as pieces until its end or LINE_HEAD bytes.
  let carry: Uint8Array[] = [];
  let carryLength = 0;
  /** A long line being passed on as it arrives: its content, or the rest of a separator line (dropped). */
  let streaming: 'content' | 'separator' | null = null;

  /** The message so far, done: null at the first separator when nothing came before it. */
  const finish = async (): Promise<IntakeMessage | null> => {
    const current = bytes;
    bytes = new MessageBytes(bound, opts.spoolDir);
    if (!started && current.size === 0) return null;
    const { raw, whole } = await current.finish();
    const msg = describeMessage(raw, { kind: 'mbox', path, index });
    if (whole) msg.whole = whole;
    if (!started) msg.warnings.unshift('text before the first "From " line of the mbox');
    if (current.beyond) {
      msg.warnings.push(whole
        ? `message ${index + 1} of ${path} is larger than ${bound} bytes: its first ${bound} bytes were read, the whole message (${whole.size} bytes) is kept as received`
        : `message ${index + 1} of ${path} is larger than ${bound} bytes: its first ${bound} bytes were kept, ${current.beyond} more were read past`);
    }
    index++;
    return msg;
  };

  /** A whole line (or the first LINE_HEAD bytes of a longer one); true when it is a separator, ending the message before it. */
  const line = (l: Uint8Array, complete: boolean): boolean => {
    const content = !complete ? l : l[l.length - 1] === 0x0a ? l.subarray(0, l[l.length - 2] === 0x0d ? -2 : -1) : l;
    if (prevBlank && startsWithFrom(content)) {
      pendingBlank = null;
      prevBlank = false;
      return true;
    }
    if (pendingBlank) { bytes.push(pendingBlank); pendingBlank = null; }
    const blank = complete && content.length === 0;
    if (blank) pendingBlank = l.slice();
    else bytes.push(unescape(l));
    prevBlank = blank;
    return false;
  };

  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      const buf = chunk as Uint8Array;
      let start = 0;
      for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
        const piece = buf.subarray(start, i + 1);
        start = i + 1;
        if (streaming) {
          if (streaming === 'content') bytes.push(piece);
          streaming = null;
          prevBlank = false;
          continue;
        }
        const whole = carryLength ? concat([...carry, piece], carryLength + piece.length) : piece;
        carry = [];
        carryLength = 0;
        if (line(whole, true)) { const m = await finish(); started = true; if (m) yield m; }
      }
      if (start < buf.length) {
        const rest = buf.subarray(start);
        if (streaming === 'content') bytes.push(rest);
        else if (!streaming) {
          carry.push(rest);
          carryLength += rest.length;
          if (carryLength > LINE_HEAD) {
            const head = concat(carry, carryLength);
            carry = [];
            carryLength = 0;
            if (line(head, false)) { streaming = 'separator'; const m = await finish(); started = true; if (m) yield m; } else streaming = 'content';
          }
        }
      }
      // The pieces past the bound are views into this chunk: written to the spool before the next read.
      await bytes.drain();
    }
    if (carryLength && line(concat(carry, carryLength), true)) { const m = await finish(); started = true; if (m) yield m; }
    // The last message keeps no trailing separator line.
    const last = await finish();
    if (last) yield last;
  } finally {
    stream.destroy();
    await bytes.discard();
  }
}
