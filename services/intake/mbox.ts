import { createReadStream } from 'node:fs';
import { describeMessage, type IntakeMessage } from './message';

const FROM = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "
/**
 * Bytes of one message kept: mail servers refuse far smaller messages (a
 * common limit is 50 MiB), so past this the rest of the message is read
 * past, counted and said in a warning, and the next message is read normally.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

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

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Messages of an mbox file, streamed (one message in memory at a time). A
 * message starts at a "From " line at the top of the file or after an empty
 * line; the empty line before the next "From " belongs to the separator.
 * Text before the first "From " line is yielded as a message with a warning.
 */
export async function* readMbox(path: string, maxMessageBytes = MAX_MESSAGE_BYTES): AsyncGenerator<IntakeMessage> {
  let index = 0;
  let parts: Uint8Array[] = [];
  let size = 0;
  /** Bytes of the current message past maxMessageBytes: read past, not kept. */
  let dropped = 0;
  let started = false;
  let prevBlank = true;
  let pendingBlank: Uint8Array | null = null;
  // The start of a line that runs past the chunk: kept as pieces and joined once its end is found
  // (joining at every chunk made a 200 MB line quadratic); past the message bound only its length counts.
  let carry: Uint8Array[] = [];
  let carryKept = 0;
  let carryLost = 0;
  const keepLimit = maxMessageBytes + 2;

  const flush = function* (): Generator<IntakeMessage> {
    if (!started && size === 0 && dropped === 0) return;
    const msg = describeMessage(concat(parts, size), { kind: 'mbox', path, index });
    if (!started) msg.warnings.unshift('text before the first "From " line of the mbox');
    if (dropped) msg.warnings.push(`message ${index + 1} of ${path} is larger than ${maxMessageBytes} bytes: its first ${maxMessageBytes} bytes were kept, ${dropped} more were read past`);
    index++;
    parts = [];
    size = 0;
    dropped = 0;
    yield msg;
  };
  const push = (b: Uint8Array): void => {
    const room = maxMessageBytes - size;
    if (room <= 0) { dropped += b.length; return; }
    const kept = b.length <= room ? b : b.slice(0, room);
    parts.push(kept);
    size += kept.length;
    dropped += b.length - kept.length;
  };

  function* line(l: Uint8Array): Generator<IntakeMessage> {
    const content = l[l.length - 1] === 0x0a ? l.subarray(0, l[l.length - 2] === 0x0d ? -2 : -1) : l;
    if (prevBlank && startsWithFrom(content)) {
      pendingBlank = null;
      yield* flush();
      started = true;
      prevBlank = false;
      return;
    }
    if (pendingBlank) { push(pendingBlank); pendingBlank = null; }
    const blank = content.length === 0;
    if (blank) pendingBlank = l.slice();
    else push(unescape(l).slice());
    prevBlank = blank;
  }

  const addCarry = (piece: Uint8Array): void => {
    const room = Math.max(0, keepLimit - carryKept);
    if (room > 0) { const kept = piece.slice(0, room); carry.push(kept); carryKept += kept.length; }
    carryLost += Math.max(0, piece.length - room);
  };
  /** The line that ends with `tail`, its start taken from the carry. */
  const takeCarry = (tail: Uint8Array): Uint8Array => {
    if (carry.length === 0 && carryLost === 0) return tail;
    addCarry(tail);
    const out = concat(carry, carryKept);
    dropped += carryLost;
    carry = [];
    carryKept = 0;
    carryLost = 0;
    return out;
  };

  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Uint8Array;
    let start = 0;
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
      yield* line(start === 0 ? takeCarry(buf.subarray(0, i + 1)) : buf.subarray(start, i + 1));
      start = i + 1;
    }
    if (start < buf.length) addCarry(buf.subarray(start));
  }
  if (carry.length || carryLost) yield* line(takeCarry(new Uint8Array(0)));
  // The last message keeps no trailing separator line.
  yield* flush();
}
