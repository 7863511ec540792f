import { afterEach, beforeEach } from 'vitest';
import { join } from 'node:path';
import { CaseStore } from '../../store/case-store';
import { fakeComplaint, fakeResult, tempDir } from './helpers';

export const day = (d: string): number => Date.parse(`${d}T12:00:00Z`);

export interface TempStore {
  /** The temporary folder; the store's data folder is `data` inside it. */
  dir: string;
  store: CaseStore;
  /** Store a fake complaint (and a run when `verdict` is given); returns the case id. */
  addCase(opts: Parameters<typeof fakeComplaint>[0] & { verdict?: 'backscatter' | 'compromise' | 'legitimate' | 'inconclusive' }): Promise<number>;
}

/** A fresh store in a temporary folder for each test of the file, closed and removed after it. */
export function useTempStore(): TempStore {
  let cleanup: () => Promise<void>;
  const t: TempStore = {
    dir: '',
    store: undefined as unknown as CaseStore,
    async addCase(opts) {
      const c = fakeComplaint({ text: `${opts.reporter ?? 'someone'} says ${opts.accused?.join(' ') ?? '198.51.100.10'} port-scanned them (${opts.dateMs ?? 0}, ${opts.times?.join(' ')})`, ...opts });
      const raw = `Subject: ${c.subject}\n\n${c.text}`;
      const { case: saved } = await t.store.createOrFindCase({ complaintRaw: raw, complaintName: 'complaint.txt', complaint: c });
      if (opts.verdict) await t.store.recordAnalysis(saved.id, fakeResult(c, opts.verdict), 5);
      return saved.id;
    },
  };
  beforeEach(async () => {
    ({ dir: t.dir, cleanup } = await tempDir());
    t.store = await CaseStore.open(join(t.dir, 'data'));
  });
  afterEach(async () => {
    await t.store.close();
    await cleanup();
  });
  return t;
}
