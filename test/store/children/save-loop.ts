/**
 * Crash-test child: saves cases (complaint, evidence, run, draft) in a loop and
 * prints "saved <id>" after each commit, until killed.
 * Usage: node --import tsx save-loop.ts DATA_DIR TAG
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseStore } from '../../../store/case-store';
import { fakeComplaint, fakeResult } from '../helpers';

const [dataDir, tag] = process.argv.slice(2);
const store = await CaseStore.open(dataDir);
const evidence = join(dataDir, `..`, `evidence-${tag}.bin`);
for (let i = 0; ; i++) {
  const text = `crash test ${tag} case ${i}: host 198.51.${i % 256}.${(i * 7) % 256} scanned us ${Math.random()}`;
  writeFileSync(evidence, `${text}\n`.repeat(200));
  const c = fakeComplaint({ text, accused: [`198.51.${i % 256}.${(i * 7) % 256}`] });
  const r = await store.saveAnalysis({ complaintRaw: text, complaintName: `c${i}.txt`, complaint: c, evidence: [evidence], result: fakeResult(c, 'backscatter'), durationMs: 1 });
  process.stdout.write(`saved ${r.case.id}\n`);
}
