import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseStore } from '../../../store/case-store';
import { fakeComplaint, tempDir } from '../helpers';

describe('case versions (optimistic concurrency)', () => {
  it('a change made on a version that is no longer the case\'s is refused, naming who changed what and when', async () => {
    const { dir, cleanup } = await tempDir();
    let t = Date.UTC(2026, 2, 3, 7);
    const ana = await CaseStore.open(join(dir, 'data'), { operator: 'ana', now: () => t });
    const bo = await CaseStore.open(join(dir, 'data'), { operator: 'bo', now: () => t });
    try {
      const c = fakeComplaint();
      const { case: made } = await ana.createOrFindCase({ complaintRaw: c.text, complaintName: 'c.txt', complaint: c });
      const seen = (await bo.getCase(made.id)).version!;
      t += 60_000;
      const after = await ana.setStatus(made.id, 'replied', { expectedVersion: seen });
      expect(after.version).toBe(seen + 1);
      await expect(bo.setStatus(made.id, 'closed', { expectedVersion: seen })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(new RegExp(`^Case ${made.id} was changed since you opened it \\(you saw version ${seen}, it is now at version ${seen + 1}, status replied\\)\\. Last change: .* by ana at 2026-03-03T07:01:00\\.000Z\\. Your change \\(.*\\) was not saved`)),
      });
      expect((await bo.setStatus(made.id, 'closed', { expectedVersion: seen + 1 })).status).toBe('closed');
    } finally {
      await ana.close();
      await bo.close();
      await cleanup();
    }
  });
});
