import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMbox } from '../../../services/intake/mbox';
import type { IntakeMessage } from '../../../services/intake/message';

const dir = mkdtempSync(join(tmpdir(), 'mbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all(it: AsyncIterable<IntakeMessage>): Promise<IntakeMessage[]> {
  const out: IntakeMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

const message = (subject: string, body: string) => `From: a@example.net\nSubject: ${subject}\n\n${body}\n`;
const mbox = (...msgs: string[]) => msgs.map((m) => `From x Thu Jan  1 00:00:00 2026\n${m}\n`).join('');

describe('readMbox', () => {
  it('reads a line that spans several read chunks (5 MB, the stream reads 1 MiB at a time) whole', async () => {
    const long = 'A'.repeat(5 * 1024 * 1024 + 17);
    const path = join(dir, 'long-line.mbox');
    writeFileSync(path, mbox(message('one', long), message('two', 'short')));
    const [first, second] = await all(readMbox(path));
    expect(Buffer.from(first.raw).toString('latin1')).toBe(message('one', long));
    expect(Buffer.from(second.raw).toString('latin1')).toBe(message('two', 'short'));
    expect(first.warnings).toEqual([]);
  });

  it('keeps the first bytes of a message over the bound, says how many it read past, and reads the next one whole', async () => {
    const path = join(dir, 'big.mbox');
    const big = message('big', `${'x'.repeat(3000)}\n${'y'.repeat(200_000)}`);
    writeFileSync(path, mbox(big, message('next', 'fine')));
    const [first, second] = await all(readMbox(path, 1000));
    expect(first.raw.length).toBe(1000);
    expect(Buffer.from(first.raw).toString('latin1')).toBe(big.slice(0, 1000));
    expect(first.warnings).toContain(`message 1 of ${path} is larger than 1000 bytes: its first 1000 bytes were kept, ${big.length - 1000} more were read past`);
    expect(Buffer.from(second.raw).toString('latin1')).toBe(message('next', 'fine'));
    expect(second.warnings).toEqual([]);
  });

  it('a file with no newline at all is one message, bounded', async () => {
    const path = join(dir, 'no-newline.mbox');
    writeFileSync(path, `From x\n${'z'.repeat(3 * 1024 * 1024)}`);
    const [m] = await all(readMbox(path, 2 * 1024 * 1024));
    expect(m.raw.length).toBe(2 * 1024 * 1024);
    expect(m.warnings.some((w) => w.includes('more were read past'))).toBe(true);
  });
});
