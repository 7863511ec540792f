import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodedError, err, ok, toResultError, wrapResult } from '../../../electron/common/result';
import { CaseStore } from '../../../store/case-store';
import { tempDir } from '../../store/helpers';

describe('results across the contract', () => {
  it('a real StoreError (asking a fresh store for case 99) becomes the contract\'s not_found with the store\'s words', async () => {
    const { dir, cleanup } = await tempDir();
    const store = await CaseStore.open(join(dir, 'data'));
    try {
      const r = await wrapResult(() => store.getCase(99));
      expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
      if (!r.ok) expect(r.error.message).toMatch(/99/);
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('coded errors keep their code, an abort is cancelled, anything else is internal; a value is wrapped', async () => {
    expect(await wrapResult(() => 42)).toEqual(ok(42));
    expect(await wrapResult(async () => { throw new CodedError('unsupported', 'no dialogs here'); })).toEqual(err('unsupported', 'no dialogs here'));
    expect(toResultError(Object.assign(new Error('x'), { name: 'AbortError' }))).toEqual({ code: 'cancelled', message: 'cancelled' });
    expect(toResultError(Object.assign(new Error('odd'), { name: 'StoreError', code: 'invalid' }))).toEqual({ code: 'bad_request', message: 'odd' });
    expect(toResultError(Object.assign(new Error('odd'), { name: 'StoreError', code: 'new-code' }))).toEqual({ code: 'io_error', message: 'odd' });
    expect(toResultError('a string')).toEqual({ code: 'internal', message: 'a string' });
  });
});
