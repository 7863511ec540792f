/**
 * Bundles built by hand to lie (issue: a bundle is verified, not trusted): a
 * real case is exported, its manifest rewritten and the tar written again,
 * and the import must refuse the lie or keep it for what it is.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseStore } from '../../../store/case-store';
import { listTar, readTarEntry, writeTar, type BundleManifest, type TarEntryIn } from '../../../store/bundle';
import { fakeComplaint, fakeResult } from '../helpers';
import { useTempStore } from '../store-fixture';

const t = useTempStore();

/** Export one case holding a 501-byte evidence file; returns the bundle's entries as bytes. */
async function exported(): Promise<{ entries: Map<string, Buffer>; manifest: BundleManifest }> {
  const { store, dir } = t;
  const c = fakeComplaint({ text: 'forged bundle test: 198.51.100.7 scanned 192.0.2.1' });
  await writeFile(join(dir, 'e.log'), 'x'.repeat(500) + '\n');
  const saved = await store.saveAnalysis({ complaintRaw: c.text, complaintName: 'c.txt', complaint: c, evidence: [join(dir, 'e.log')], result: fakeResult(c), durationMs: 1 });
  await store.addTag(saved.case.id, 'customer-42');
  const bundle = await store.exportBundle(saved.case.id, join(dir, 'real.tar'));
  const entries = new Map<string, Buffer>();
  for (const e of await listTar(bundle)) entries.set(e.name, await readTarEntry(bundle, e));
  return { entries, manifest: JSON.parse(entries.get('manifest.json')!.toString('utf8')) as BundleManifest };
}

async function forge(name: string, entries: Map<string, Buffer>, manifest: unknown, extra: TarEntryIn[] = []): Promise<string> {
  const out = join(t.dir, name);
  const list: TarEntryIn[] = [...entries].map(([n, bytes]) => ({ name: n, mtimeMs: 0, source: { bytes: n === 'manifest.json' ? Buffer.from(JSON.stringify(manifest)) : bytes } }));
  await writeTar(out, [...list, ...extra]);
  return out;
}

/** Import into an empty store and report what it holds afterwards. */
async function importFresh(bundle: string): Promise<{ error?: { code: string; message: string }; store: CaseStore }> {
  const store = await CaseStore.open(join(t.dir, `fresh-${Math.random().toString(36).slice(2)}`));
  try {
    await store.importBundle(bundle);
    return { store };
  } catch (e) {
    return { error: e as { code: string; message: string }, store };
  }
}

async function nothingStored(store: CaseStore): Promise<void> {
  expect((await store.listCases()).items).toEqual([]);
  const vault = await store.vaultCheck();
  expect({ files: vault.files, orphans: vault.orphans.length }).toEqual({ files: 0, orphans: 0 });
  await store.close();
}

describe('forged bundles', () => {
  it('a back-dated audit entry is kept as the bundle\'s imported history, never in our audit trail', async () => {
    const { entries, manifest } = await exported();
    const backdated = { at: Date.UTC(2001, 0, 1), action: 'custody_verified', detail: 'all evidence verified by the complainant\'s lawyer' };
    const bundle = await forge('backdated.tar', entries, { ...manifest, audit: [backdated, ...manifest.audit] });
    const { error, store } = await importFresh(bundle);
    try {
      expect(error).toBeUndefined();
      const [item] = (await store.listCases()).items;
      const c = await store.getCase(item.id);
      expect(c.audit.some((a) => a.at === backdated.at || a.detail === backdated.detail)).toBe(false);
      // Our own trail starts with the import, at our clock.
      expect(c.audit.map((a) => a.action)).toEqual(['imported']);
      expect(c.audit[0].at).toBeGreaterThan(Date.UTC(2020, 0, 1));
      expect(c.audit[0].detail).toMatch(/sizes and SHA-256 recomputed.*kept as imported history/);
      expect(c.importedHistory?.[0]).toEqual({ bundle: 'backdated.tar', importedAt: expect.any(Number), ...backdated });
      expect(Math.abs(c.importedHistory![0].importedAt - c.audit[0].at)).toBeLessThan(60_000);
      expect(c.importedHistory).toHaveLength(manifest.audit.length + 1);
    } finally {
      await store.close();
    }
  });

  it('a recorded size of 999,999,999 bytes for a 501-byte file is refused, importing nothing', async () => {
    const { entries, manifest } = await exported();
    expect(manifest.evidence[0].size).toBe(501);
    const bundle = await forge('size.tar', entries, { ...manifest, evidence: [{ ...manifest.evidence[0], size: 999_999_999 }] });
    const { error, store } = await importFresh(bundle);
    expect(error?.code).toBe('custody_mismatch');
    expect(error?.message).toMatch(/999999999 bytes but the bundle holds 501/);
    await nothingStored(store);
  });

  it('the imported evidence is the size its bytes are and verifies by its own hash', async () => {
    const { entries, manifest } = await exported();
    const bundle = await forge('honest.tar', entries, manifest);
    const { error, store } = await importFresh(bundle);
    try {
      expect(error).toBeUndefined();
      const [item] = (await store.listCases()).items;
      const c = await store.getCase(item.id, { verifyEvidence: true });
      expect(c.evidence.map((e) => [e.size, e.custody])).toEqual([[501, 'verified']]);
      expect(c.tags).toEqual(['customer-42']);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['NUL', 'abc\u0000def'],
    ['ESC', '\u001b]0;owned\u0007'],
    ['bidi override', 'evil\u202egpj.exe'],
  ])('a tag with %s is refused by the app\'s own tag schema, importing nothing', async (_what, tag) => {
    const { entries, manifest } = await exported();
    const bundle = await forge('tags.tar', entries, { ...manifest, case: { ...manifest.case, tags: ['fine', tag] } });
    const { error, store } = await importFresh(bundle);
    expect(error?.code).toBe('invalid');
    expect(error?.message).toMatch(/case\.tags\.1 control characters in a tag/);
    await nothingStored(store);
  });

  it('two manifest.json entries are refused, naming the entry and both offsets', async () => {
    const { entries, manifest } = await exported();
    const second = { ...manifest, case: { ...manifest.case, tags: ['second-manifest'] } };
    const bundle = await forge('twice.tar', entries, manifest, [{ name: 'manifest.json', mtimeMs: 0, source: { bytes: Buffer.from(JSON.stringify(second)) } }]);
    const bytes = await readFile(bundle);
    const offsets: number[] = [];
    for (let at = 0; at < bytes.length; at += 512) if (bytes.toString('latin1', at, at + 14) === 'manifest.json\0' && bytes.toString('latin1', at + 257, at + 262) === 'ustar') offsets.push(at);
    expect(offsets).toHaveLength(2);
    const { error, store } = await importFresh(bundle);
    expect(error?.code).toBe('invalid');
    expect(error?.message).toContain(`the entry "manifest.json" appears twice, at byte ${offsets[0]} and at byte ${offsets[1]}`);
    await nothingStored(store);
  });

  it('any other entry twice, or an entry tar would name differently, is refused too', async () => {
    const { entries, manifest } = await exported();
    const evidenceName = manifest.evidence[0].entry;
    const dup = await forge('dup-evidence.tar', entries, manifest, [{ name: evidenceName, mtimeMs: 0, source: { bytes: Buffer.from('other bytes') } }]);
    expect((await importFresh(dup)).error?.message).toContain(`the entry "${evidenceName}" appears twice`);
    // A pax header ('x') would rename the next entry for tar -x: refused, not skipped.
    const pax = await forge('pax.tar', entries, manifest);
    const bytes = await readFile(pax);
    bytes[156] = 'x'.charCodeAt(0);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : bytes[i];
    bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    await writeFile(pax, bytes);
    const r = await importFresh(pax);
    expect(r.error?.message).toMatch(/entry "manifest.json" at byte 0 is not a plain file \(tar type "x"\)/);
    await nothingStored(r.store);
  });
});
