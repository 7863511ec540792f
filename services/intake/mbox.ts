import { createReadStream } from 'node:fs';
import { describeMessage, type IntakeMessage } from './message';

const FROM = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "

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
export async function* readMbox(path: string): AsyncGenerator<IntakeMessage> {
  let index = 0;
  let parts: Uint8Array[] = [];
  let size = 0;
  let started = false;
  let prevBlank = true;
  let pendingBlank: Uint8Array | null = null;
  let carry: Uint8Array = new Uint8Array(0);

  const flush = function* (): Generator<IntakeMessage> {
    if (!started && size === 0) return;
    const msg = describeMessage(concat(parts, size), { kind: 'mbox', path, index });
    if (!started) msg.warnings.unshift('text before the first "From " line of the mbox');
    index++;
    parts = [];
    size = 0;
    yield msg;
  };
  const push = (b: Uint8Array): void => { parts.push(b); size += b.length; };

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

  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Uint8Array;
    let start = 0;
    let data = buf;
    if (carry.length) { data = concat([carry, buf], carry.length + buf.length); carry = new Uint8Array(0); }
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== 0x0a) continue;
      yield* line(data.subarray(start, i + 1));
      start = i + 1;
    }
    carry = data.slice(start);
  }
  if (carry.length) yield* line(carry);
  // The last message keeps no trailing separator line.
  yield* flush();
}
