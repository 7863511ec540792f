import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceVault } from '../../store/evidence-vault';
import { casesDir } from '../helpers/paths';
import { tempDir } from './helpers';

const PCAP = join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the evidence vault', () => {
  it('stores seed001\'s capture under its SHA-256, once, and verifies it; a changed or missing file is told apart', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const vault = new EvidenceVault(join(dir, 'evidence'));
      await vault.init();
      const bytes = readFileSync(PCAP);
      const blob = await vault.putFile(PCAP);
      expect(blob).toEqual({ sha256: sha(bytes), size: bytes.length, created: true });
      expect((await readFile(vault.pathOf(blob.sha256))).equals(bytes)).toBe(true);
      expect((await vault.putFile(PCAP)).created).toBe(false);
      expect(await vault.verify(blob.sha256)).toEqual({ state: 'verified', actualSha256: blob.sha256, size: bytes.length });
      const files = [];
      for await (const f of vault.files()) files.push(f.sha256);
      expect(files).toEqual([blob.sha256]);
      const damaged = Buffer.from(bytes);
      damaged[100] ^= 0xff;
      await writeFile(vault.pathOf(blob.sha256), damaged);
      expect(await vault.verify(blob.sha256)).toMatchObject({ state: 'mismatch', actualSha256: sha(damaged) });
      expect((await vault.putFile(PCAP)).created).toBe(true);
      await vault.remove(blob.sha256);
      expect(await vault.verify(blob.sha256)).toEqual({ state: 'missing' });
    } finally {
      await cleanup();
    }
  });

  it('refuses a stream whose content is not the SHA-256 it was promised, leaving nothing behind', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const vault = new EvidenceVault(join(dir, 'evidence'));
      await vault.init();
      async function* bytes(): AsyncGenerator<Uint8Array> { yield new TextEncoder().encode('not the capture'); }
      await expect(vault.put(bytes(), 'a'.repeat(64))).rejects.toThrow();
      const files = [];
      for await (const f of vault.files()) files.push(f);
      expect(files).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});
