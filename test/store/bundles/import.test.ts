import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderCase } from '../../../cli/commands/cases-render';
import { CaseStore } from '../../../store/case-store';
import { fakeComplaint, fakeResult } from '../helpers';
import { useTempStore } from '../store-fixture';

const t = useTempStore();

describe('bundle import', () => {
  it('refuses a bundle whose evidence was altered, importing nothing', async () => {
    const { store, dir } = t;
    const c = fakeComplaint();
    await writeFile(join(dir, 'e.bin'), 'EVIDENCE-EVIDENCE');
    const saved = await store.saveAnalysis({ complaintRaw: c.text, complaintName: 'c.txt', complaint: c, evidence: [join(dir, 'e.bin')], result: fakeResult(c), durationMs: 1 });
    const bundle = await store.exportBundle(saved.case.id, join(dir, 'b.tar'));
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(bundle);
    const at = bytes.indexOf('EVIDENCE-EVIDENCE');
    bytes.write('X', at);
    await writeFile(bundle, bytes);
    const other = await CaseStore.open(join(dir, 'fresh'));
    try {
      await expect(other.importBundle(bundle)).rejects.toMatchObject({ code: 'custody_mismatch' });
      expect((await other.listCases()).items).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('a case passed on again keeps the history it was imported with: exported from desk A, imported by B, exported by B, imported by C', async () => {
    const { store: a, dir } = t;
    const c = fakeComplaint();
    await writeFile(join(dir, 'e.bin'), 'EVIDENCE');
    const saved = await a.saveAnalysis({ complaintRaw: c.text, complaintName: 'c.txt', complaint: c, evidence: [join(dir, 'e.bin')], result: fakeResult(c), durationMs: 1 });
    await a.addNote(saved.case.id, 'seen on desk A');
    const fromA = await a.exportBundle(saved.case.id, join(dir, 'from-a.abuse-case.tar'));
    // What the bundle holds: the trail up to the export.
    const aTrail = (await a.getCase(saved.case.id)).audit.filter((x) => x.action !== 'exported').map((x) => [x.at, x.action, x.detail]);
    const b = await CaseStore.open(join(dir, 'desk-b'));
    const desk = await CaseStore.open(join(dir, 'desk-c'));
    try {
      const inB = (await b.importBundle(fromA)).caseId;
      await b.addTag(inB, 'from-a');
      const fromB = await b.exportBundle(inB, join(dir, 'from-b.abuse-case.tar'));
      // What the bundle holds: the trail up to the export (the custody check it began with included).
      const bTrail = (await b.getCase(inB)).audit.filter((x) => x.action !== 'exported').map((x) => [x.at, x.action, x.detail]);
      const inC = (await desk.importBundle(fromB)).caseId;
      const history = (await desk.getCase(inC)).importedHistory ?? [];
      // A's trail, as B imported it, then B's own (its import of A's bundle, the tag), each naming its bundle.
      expect(history.filter((h) => h.bundle === 'from-a.abuse-case.tar').map((h) => [h.at, h.action, h.detail])).toEqual(aTrail);
      expect(history.filter((h) => h.bundle === 'from-b.abuse-case.tar').map((h) => [h.at, h.action, h.detail])).toEqual(bTrail);
      expect(history.map((h) => h.bundle)).toEqual([...aTrail.map(() => 'from-a.abuse-case.tar'), ...bTrail.map(() => 'from-b.abuse-case.tar')]);
      const bImportedAt = (await b.getCase(inB)).importedHistory![0].importedAt;
      expect(new Set(history.filter((h) => h.bundle === 'from-a.abuse-case.tar').map((h) => h.importedAt))).toEqual(new Set([bImportedAt]));
      expect((await desk.getCase(inC)).audit.find((x) => x.action === 'imported')?.detail).toMatch(/its \d+ audit entries kept as imported history, with the \d+ entries of history it was imported with$/);
      // cases show names each desk's bundle.
      const shown = renderCase(await desk.getCase(inC), []);
      expect(shown).toContain('## Imported history (from from-a.abuse-case.tar, from-b.abuse-case.tar, oldest first');
      expect(shown).toMatch(/ tag_added \[from-b\.abuse-case\.tar\]: /);
    } finally {
      await b.close();
      await desk.close();
    }
  });
});

