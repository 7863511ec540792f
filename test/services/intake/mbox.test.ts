import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('with a spool folder, a message over the bound is written there whole as it is read: its file holds every byte, hashed; the next message is read whole', async () => {
    const spool = join(dir, 'spool-1');
    mkdirSync(spool);
    const path = join(dir, 'spooled.mbox');
    // Ordinary lines, one line longer than a read chunk (passed on as it arrives), and an escaped From line.
    const big = message('big', `${'x'.repeat(3000)}\n${'y'.repeat(1_500_000)}\n>From the start\n${'Jan  1 10:00:01 fw DROP SRC=198.51.100.7\n'.repeat(5000)}`);
    writeFileSync(path, mbox(big.replace(/^>From/m, '>>From'), message('next', 'fine')));
    const [first, second] = await all(readMbox(path, { maxMessageBytes: 1000, spoolDir: spool }));
    expect(Buffer.from(first.raw).toString('latin1')).toBe(big.slice(0, 1000));
    const whole = first.whole!;
    expect(whole).toMatchObject({ size: big.length, spooled: true });
    expect(readFileSync(whole.path).toString('latin1')).toBe(big);
    expect(whole.sha256).toBe(createHash('sha256').update(Buffer.from(big, 'latin1')).digest('hex'));
    expect(first.warnings).toContain(`message 1 of ${path} is larger than 1000 bytes: its first 1000 bytes were read, the whole message (${big.length} bytes) is kept as received`);
    expect(Buffer.from(second.raw).toString('latin1')).toBe(message('next', 'fine'));
    expect(second.whole).toBeUndefined();
    expect(readdirSync(spool)).toHaveLength(1);
  });

  it('a separator line longer than the part read to tell it apart still ends the message (its rest read past)', async () => {
    const path = join(dir, 'long-separator.mbox');
    writeFileSync(path, `From x\n${message('one', 'a')}\nFrom ${'z'.repeat(200_000)}\n${message('two', 'b')}`);
    const got = await all(readMbox(path, { spoolDir: dir }));
    expect(got.map((m) => Buffer.from(m.raw).toString('latin1'))).toEqual([message('one', 'a'), message('two', 'b')]);
  });

  it("stopping early leaves the yielded message's spool to the consumer (it removes it once settled) and no other file", async () => {
    const spool = join(dir, 'spool-2');
    mkdirSync(spool);
    const path = join(dir, 'stopped.mbox');
    writeFileSync(path, mbox(message('big', 'q'.repeat(3 * 1024 * 1024)), message('next', 'fine')));
    const it = readMbox(path, { maxMessageBytes: 1000, spoolDir: spool })[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value?.whole?.spooled).toBe(true);
    await it.return?.(undefined);
    expect(readdirSync(spool)).toEqual([first.value!.whole!.path.split('/').pop()]);
  });
});

