import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concat, MessageBytes } from '../../../services/intake/message-bytes';

const dir = mkdtempSync(join(tmpdir(), 'message-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('MessageBytes', () => {
  it('within the bound: every byte kept in order across growing blocks, no spool', async () => {
    const parts = [bytes(10, 1), bytes(20_000, 2), bytes(3 * 1024 * 1024, 3), bytes(1, 4)];
    const total = parts.reduce((a, p) => a + p.length, 0);
    const m = new MessageBytes(total, dir);
    for (const p of parts) m.push(p);
    await m.drain();
    const { raw, whole } = await m.finish();
    expect(Buffer.from(raw).equals(Buffer.from(concat(parts, total)))).toBe(true);
    expect({ size: m.size, beyond: m.beyond, whole }).toEqual({ size: total, beyond: 0, whole: undefined });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('past the bound with a spool folder: the first bytes in memory, the whole written to the spool (the kept part first)', async () => {
    const parts = [bytes(700, 5), bytes(700, 6), bytes(5000, 7)];
    const m = new MessageBytes(1000, dir);
    for (const p of parts) { m.push(p); await m.drain(); }
    const { raw, whole } = await m.finish();
    const all = Buffer.from(concat(parts, 6400));
    expect(Buffer.from(raw).equals(all.subarray(0, 1000))).toBe(true);
    expect(m.beyond).toBe(5400);
    expect(whole?.size).toBe(6400);
    expect(readFileSync(whole!.path).equals(all)).toBe(true);
    rmSync(whole!.path);
  });

  it('past the bound without one: the rest only counted; discard removes a spool begun', async () => {
    const m = new MessageBytes(10);
    m.push(bytes(25, 8));
    const { raw, whole } = await m.finish();
    expect({ raw: raw.length, beyond: m.beyond, whole }).toEqual({ raw: 10, beyond: 15, whole: undefined });
    const d = new MessageBytes(10, dir);
    d.push(bytes(25, 9));
    await d.drain();
    expect(readdirSync(dir)).toHaveLength(1);
    await d.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});
