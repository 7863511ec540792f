import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftMarkdown, listTar, readTarEntry, safeEntryName, writeTar } from '../../store/bundle';
import { casesDir } from '../helpers/paths';
import { tempDir } from './helpers';

const seed = join(casesDir, 'seed001-synflood-backscatter');

describe('the tar of a case bundle', () => {
  it('GNU tar lists and extracts what writeTar wrote: the seed001 complaint and capture, byte for byte', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const tar = join(dir, 'case.tar');
      const pcap = join(seed, 'www-border.pcap');
      await writeTar(tar, [
        { name: 'complaint.txt', mtimeMs: Date.UTC(2025, 11, 18) , source: { bytes: readFileSync(join(seed, 'complaint.txt')) } },
        { name: 'evidence/www-border.pcap', mtimeMs: Date.UTC(2025, 11, 18), source: { file: pcap, size: statSync(pcap).size } },
      ]);
      expect(execFileSync('tar', ['-tf', tar], { encoding: 'utf8' }).trim().split('\n')).toEqual(['complaint.txt', 'evidence/www-border.pcap']);
      expect(execFileSync('tar', ['-xOf', tar, 'evidence/www-border.pcap']).equals(readFileSync(pcap))).toBe(true);
      const entries = await listTar(tar);
      expect(entries.map((e) => [e.name, e.size])).toEqual([['complaint.txt', statSync(join(seed, 'complaint.txt')).size], ['evidence/www-border.pcap', statSync(pcap).size]]);
      expect((await readTarEntry(tar, entries[1])).equals(readFileSync(pcap))).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('reads a ustar archive GNU tar wrote, and refuses one with a link or a path outside it', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      execFileSync('cp', [join(seed, 'complaint.txt'), join(dir, 'complaint.txt')]);
      execFileSync('tar', ['--format=ustar', '-cf', join(dir, 'gnu.tar'), '-C', dir, 'complaint.txt']);
      const [e] = await listTar(join(dir, 'gnu.tar'));
      expect((await readTarEntry(join(dir, 'gnu.tar'), e)).equals(readFileSync(join(seed, 'complaint.txt')))).toBe(true);
      execFileSync('ln', ['-s', 'complaint.txt', join(dir, 'link')]);
      execFileSync('tar', ['--format=ustar', '-cf', join(dir, 'link.tar'), '-C', dir, 'link']);
      await expect(listTar(join(dir, 'link.tar'))).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('is not a plain file (tar type "2")') });
      execFileSync('tar', ['--format=ustar', '-cPf', join(dir, 'abs.tar'), join(dir, 'complaint.txt')]);
      await expect(listTar(join(dir, 'abs.tar'))).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('has a path outside the bundle') });
    } finally {
      await cleanup();
    }
  });

  it('makes entry names safe and drafts Markdown', () => {
    expect(safeEntryName('../../etc/passwd')).toBe('passwd');
    expect(safeEntryName('C:\\mail\\Réclamation n°5.eml')).toBe('R_clamation_n_5.eml');
    expect(safeEntryName('.hidden')).toBe('_hidden');
    expect(safeEntryName('')).toBe('complaint');
    expect(draftMarkdown({ subject: 'Re: scan', body: 'Hello\n\n', version: 2, origin: 'edited', sentAt: Date.UTC(2026, 0, 2) }))
      .toBe('# Re: scan\n\n<!-- draft version 2, edited, sent 2026-01-02T00:00:00.000Z -->\n\nHello\n');
  });
});
