/**
 * Read-only test child (run as an unprivileged user): opens the store in
 * DATA_DIR, lists, tries to save, and prints what happened as JSON.
 */
import { CaseStore } from '../../../store/case-store';
import { StoreError } from '../../../store/errors';
import { fakeComplaint } from '../helpers';

const [dataDir] = process.argv.slice(2);
const out: Record<string, unknown> = {};
const err = (e: unknown) => (e instanceof StoreError ? { code: e.code, message: e.message } : { code: 'not-a-StoreError', message: String(e) });
try {
  const store = await CaseStore.open(dataDir);
  out.readOnly = store.readOnly;
  out.listed = (await store.listCases()).items.length;
  const c = fakeComplaint({ text: 'a new complaint' });
  out.save = await store.createOrFindCase({ complaintRaw: c.text, complaintName: 'c.txt', complaint: c }).then(() => 'saved', err);
  out.note = await store.addNote(1, 'note').then(() => 'saved', err);
  await store.close();
} catch (e) {
  out.open = err(e);
}
process.stdout.write(JSON.stringify(out));
