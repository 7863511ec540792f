import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { releaseWhole, Spool } from '../../../services/intake/spool';

const dir = mkdtempSync(join(tmpdir(), 'spool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Spool', () => {
  it('writes pieces in order (views into one buffer, empty ones, more than one writev takes), private, named for its process, hashed', async () => {
    const s = await Spool.open(dir);
    const buf = Buffer.from('0123456789');
    const pieces = [buf.subarray(0, 3), new Uint8Array(0), buf.subarray(3), ...Array.from({ length: 1500 }, (_, i) => Buffer.from(`${i},`))];
    await s.write(pieces);
    await s.write([Buffer.from('end')]);
    const whole = await s.close();
    const expected = Buffer.concat([...pieces, Buffer.from('end')]);
    expect(readFileSync(whole.path).equals(expected)).toBe(true);
    expect(whole).toEqual({ path: whole.path, size: expected.length, sha256: createHash('sha256').update(expected).digest('hex'), spooled: true });
    expect(basename(whole.path)).toMatch(new RegExp(`^${process.pid}-intake-`));
    expect(statSync(whole.path).mode & 0o777).toBe(0o600);
    await expect(s.write([Buffer.from('late')])).rejects.toThrow(/closed/);
    await releaseWhole(whole);
    expect(existsSync(whole.path)).toBe(false);
  });

  it("discard removes the file; releasing a message's own file leaves it alone", async () => {
    const s = await Spool.open(dir);
    await s.write([Buffer.from('x')]);
    await s.discard();
    expect(existsSync(s.path)).toBe(false);
    const own = join(dir, 'own.eml');
    writeFileSync(own, 'mail');
    await releaseWhole({ path: own, size: 4, sha256: '', spooled: false });
    expect(existsSync(own)).toBe(true);
  });
});
