import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** ARCHITECTURE.md is the map: short enough to read, and every folder and file it names exists. */
const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');

describe('ARCHITECTURE.md', () => {
  it('is at most 60 lines', () => {
    expect(text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '').length).toBeLessThanOrEqual(60);
  });

  it('names only folders and files that exist', () => {
    // A folder cell (`analysis/detect/`) stands alone; a name inside a row (`sketch/`, `window.ts`) is relative to its folder.
    const missing: string[] = [];
    for (const line of text.split('\n').filter((l) => l.startsWith('| `'))) {
      // "`analysis/ingest/`, `decode/`": a later folder of the cell is a sibling of the first.
      const cell = [...line.split('|')[1].matchAll(/`([\w./-]+\/)`/g)].map((m) => m[1]);
      const folders = cell.map((f, i) => (i === 0 || existsSync(join(root, f)) ? f : join(cell[0], '..', f)));
      for (const f of folders) if (!existsSync(join(root, f))) missing.push(f);
      const names = [...line.split('|').slice(2).join('|').matchAll(/`([\w-]+(?:\/[\w.-]+)*\/?|[\w-]+\.(?:ts|cjs|mjs))`/g)].map((m) => m[1]);
      for (const n of names) {
        if (!/[/.]/.test(n)) continue;
        const found = [root, ...folders.map((f) => join(root, f))].some((base) => existsSync(join(base, n))) || existsSync(join(root, n));
        if (!found) missing.push(`${n} (row ${folders.join(', ')})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
