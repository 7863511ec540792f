import { throwIfAborted } from '../events/diagnostics';

/** One line of a text file with its position, for exact quoting. */
export interface Line {
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** The file's last line, with no "\n" after it: a cut file ends this way. */
  unterminated?: true;
}

/** Longest line we keep; the rest of a longer one is dropped (binary junk has few newlines). */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Split a byte stream into lines without ever holding more than one chunk
 * plus one (capped) partial line. Accepts \n and \r\n; decodes as UTF-8 with
 * replacement, so binary junk becomes U+FFFD instead of an exception.
 */
export async function* splitLines(
  source: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
  onBytes?: (bytesDone: number) => void,
): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  let lineStart = 0; // absolute offset of the current line's first byte
  let chunkStart = 0; // absolute offset of the current chunk's first byte

  const take = (tail: Uint8Array): string => {
    let bytes = tail;
    if (pending.length > 0) {
      const room = Math.max(0, MAX_LINE_BYTES - pendingBytes);
      const cut = tail.subarray(0, Math.min(tail.length, room));
      bytes = new Uint8Array(pendingBytes + cut.length);
      let p = 0;
      for (const part of pending) { bytes.set(part, p); p += part.length; }
      bytes.set(cut, p);
      pending = [];
      pendingBytes = 0;
    }
    let end = Math.min(bytes.length, MAX_LINE_BYTES);
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    return decoder.decode(bytes.subarray(0, end));
  };

  for await (const chunk of source) {
    throwIfAborted(signal);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const text = take(chunk.subarray(start, nl));
      yield { text, line: ++lineNo, offset: lineStart };
      start = nl + 1;
      lineStart = chunkStart + start;
    }
    if (start < chunk.length && pendingBytes < MAX_LINE_BYTES) {
      // Copy: the caller may reuse the chunk's buffer.
      const rest = chunk.subarray(start, start + (MAX_LINE_BYTES - pendingBytes));
      pending.push(rest.slice());
      pendingBytes += rest.length;
    }
    chunkStart += chunk.length;
    onBytes?.(chunkStart);
  }
  if (pendingBytes > 0) yield { text: take(new Uint8Array(0)), line: ++lineNo, offset: lineStart, unterminated: true };
}
