import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, splitLines, type Line } from '../../../analysis/ingest/lines';
import { chunks } from '../../helpers/fuzz-mutate';
import { corpusDir } from '../../helpers/paths';

async function all(bytes: Uint8Array, size: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of splitLines(chunks(bytes, size))) out.push(l);
  return out;
}

describe('splitting a stream into lines', () => {
  it('the fail2ban sshd sample: the lines, numbers and byte offsets of a plain split, however the bytes are chunked', async () => {
    const bytes = new Uint8Array(readFileSync(join(corpusDir, 'hostlogs', 'fail2ban__sshd.log')));
    const text = new TextDecoder().decode(bytes);
    const expected = text.split('\n');
    if (expected.at(-1) === '') expected.pop();
    let offset = 0;
    const offsets = expected.map((l) => { const o = offset; offset += new TextEncoder().encode(l).length + 1; return o; });
    for (const size of [1, 7, 4096, bytes.length]) {
      const lines = await all(bytes, size);
      expect(lines.map((l) => l.text)).toEqual(expected.map((l) => l.replace(/\r$/, '')));
      expect(lines.map((l) => l.offset)).toEqual(offsets);
      expect(lines.at(-1)!.line).toBe(expected.length);
    }
  });

  it('takes \\r\\n as a line end, names a last line without one, and turns bad UTF-8 into U+FFFD', async () => {
    const lines = await all(new Uint8Array([0x61, 0x0d, 0x0a, 0xff, 0x62, 0x0a, 0x63]), 2);
    expect(lines).toEqual([
      { text: 'a', line: 1, offset: 0 }, { text: '\ufffdb', line: 2, offset: 3 }, { text: 'c', line: 3, offset: 6, unterminated: true },
    ]);
  });

  it(`keeps at most ${MAX_LINE_BYTES} bytes of a line and still counts the bytes after it`, async () => {
    const long = new Uint8Array(MAX_LINE_BYTES * 3 + 2).fill(0x41);
    long[long.length - 2] = 0x0a;
    long[long.length - 1] = 0x42;
    const lines = await all(long, 10_000);
    expect(lines.map((l) => [l.text.length, l.offset])).toEqual([[MAX_LINE_BYTES, 0], [1, MAX_LINE_BYTES * 3 + 1]]);
  });
});
