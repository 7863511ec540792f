import { describe, expect, it } from 'vitest';
import { CaseStore, StoreError } from '../../store/case-store';
import { fakeComplaint, tempDir } from './helpers';

describe('write transactions', () => {
  it('says the disk is full, and the failed write changes nothing', async () => {
    const { dir: d2, cleanup: c2 } = await tempDir();
    const small = await CaseStore.open(d2, { maxPageCount: 60 });
    try {
      const big = 'x'.repeat(200_000);
      const c = fakeComplaint({ text: big });
      const err = await small.createOrFindCase({ complaintRaw: big, complaintName: 'big.txt', complaint: c }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/disk .* is full.*Nothing was lost/) });
      expect((await small.listCases()).items).toEqual([]);
      await small.createOrFindCase({ complaintRaw: 'small', complaintName: 's.txt', complaint: fakeComplaint({ text: 'small' }) });
      expect((await small.listCases()).items).toHaveLength(1);
    } finally {
      await small.close();
      await c2();
    }
  });
});
