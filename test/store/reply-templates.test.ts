import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultTemplate } from '../../analysis/draft/template-keys';
import { CaseStore, StoreError } from '../../store/case-store';
import { tempDir } from './helpers';

const backscatter = { reportClass: 'network-abuse', verdict: 'backscatter' } as const;
const phishing = { reportClass: 'phishing', verdict: 'inconclusive' } as const;
const text = { subject: 'Re: {subject} (case {case})', body: 'Hello {reporter},\n\nour customer {customer} runs {accused}.\n\n{evidence}\n\n{signature}\n' };

describe('reply templates in the store (SQLite)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let t = Date.parse('2026-03-02T08:00:00Z');
  const now = (): number => (t += 1000);
  const open = (operator: string) => CaseStore.open(join(dir, 'data'), { now, operator });
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => cleanup());

  it('keeps a saved text with its operator and version, lists it, and resets it to the built-in text', async () => {
    const s = await open('alice');
    try {
      expect(await s.replyTemplates.get(backscatter)).toEqual({ ...backscatter, template: null, version: 0, updatedAt: null, updatedBy: null });
      const saved = await s.replyTemplates.set(backscatter, text);
      expect(saved).toMatchObject({ ...backscatter, template: text, version: 1, updatedBy: 'alice' });
      expect(await s.replyTemplates.get(backscatter)).toEqual(saved);
      const second = await s.replyTemplates.set(phishing, defaultTemplate(phishing), { expectedVersion: 0 });
      expect(second.version).toBe(1);
      // Listed network abuse first, as the vocabulary orders the classes.
      expect((await s.replyTemplates.list()).map((r) => r.reportClass)).toEqual(['network-abuse', 'phishing']);
      const reset = await s.replyTemplates.reset(backscatter, { expectedVersion: 1 });
      expect(reset).toMatchObject({ template: null, version: 2, updatedBy: 'alice' });
      expect(await s.replyTemplates.get(backscatter)).toEqual(reset);
      // Resetting a key never saved writes nothing.
      expect(await s.replyTemplates.reset({ reportClass: 'spam', verdict: 'compromise' })).toMatchObject({ version: 0 });
      expect(await s.replyTemplates.list()).toHaveLength(2);
    } finally {
      await s.close();
    }
  });

  it('survives reopening the store', async () => {
    const a = await open('alice');
    await a.replyTemplates.set(backscatter, text);
    await a.close();
    const b = await open('bob');
    try {
      expect((await b.replyTemplates.get(backscatter)).template).toEqual(text);
    } finally {
      await b.close();
    }
  });

  it('refuses an edit made on a version changed since, naming who changed it', async () => {
    const a = await open('alice');
    const b = await open('bob');
    try {
      const seen = await a.replyTemplates.get(backscatter);
      await b.replyTemplates.set(backscatter, text, { expectedVersion: seen.version });
      const late = a.replyTemplates.set(backscatter, { ...text, body: 'mine\n' }, { expectedVersion: seen.version });
      await expect(late).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/"Network abuse · backscatter" was changed by bob at 2026-03-02T.* \(version 1 now, yours 0\)/) });
      await b.replyTemplates.reset(backscatter);
      await expect(a.replyTemplates.reset(backscatter, { expectedVersion: 1 })).rejects.toThrow(/was reset by bob/);
      expect((await a.replyTemplates.get(backscatter)).template).toBeNull();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses unknown placeholders, an empty or overlong text and a key that does not exist, saving nothing', async () => {
    const s = await open('alice');
    try {
      const refused = async (p: Promise<unknown>, re: RegExp) => {
        const e = await p.then(() => null, (x: unknown) => x);
        expect(e).toBeInstanceOf(StoreError);
        expect((e as StoreError).code).toBe('invalid');
        expect((e as StoreError).message).toMatch(re);
      };
      await refused(s.replyTemplates.set(backscatter, { subject: 'Re: {subjet}', body: 'Dear {custmer}' }), /unknown placeholders \{subjet\}, \{custmer\}/);
      await refused(s.replyTemplates.set(backscatter, { subject: 'x', body: ' \n ' }), /cannot be empty/);
      await refused(s.replyTemplates.set(backscatter, { subject: 'a\r\nBcc: x@example.com', body: 'x' }), /one line/);
      await refused(s.replyTemplates.set(backscatter, { subject: 'x', body: 'x'.repeat(64 * 1024 + 1) }), /at most 65536/);
      await refused(s.replyTemplates.set({ reportClass: 'ddos' as never, verdict: 'backscatter' }, text), /no reply template for report class "ddos"/);
      expect(await s.replyTemplates.list()).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('cannot be changed in a read-only store', async () => {
    const a = await open('alice');
    await a.replyTemplates.set(backscatter, text);
    await a.close();
    const r = await CaseStore.open(join(dir, 'data'), { readOnly: true });
    try {
      expect((await r.replyTemplates.get(backscatter)).template).toEqual(text);
      await expect(r.replyTemplates.set(backscatter, text)).rejects.toMatchObject({ code: 'read_only' });
    } finally {
      await r.close();
    }
  });
});
