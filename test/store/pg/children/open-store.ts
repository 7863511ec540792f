/**
 * Child process of migrations.slow.test.ts: waits for the start time it is
 * given (so the apps open together), opens the store at the URL, saves one
 * case and prints a JSON line: the migration steps it applied and the case id.
 */
import { CaseStore } from '../../../../store/case-store';
import { fakeComplaint } from '../../helpers';

const [url, startAt, tag] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const store = await CaseStore.open(url);
const c = fakeComplaint({ text: `complaint from app ${tag}`, accused: ['192.0.2.7'] });
const { case: saved } = await store.createOrFindCase({ complaintRaw: c.text, complaintName: `${tag}.txt`, complaint: c });
await store.close();
process.stdout.write(`${JSON.stringify({ tag, pid: process.pid, caseId: saved.id })}\n`);
