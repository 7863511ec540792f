/**
 * Crash-test child: saves cases (complaint, evidence, run, draft) in a loop and
 * prints "saved <id>" after each commit. Case I of the child has the subject
 * "crash TAG I" (TAG must be new to the store: the same complaint twice would
 * join one case).
 * Usage: node --import tsx save-loop.ts DATA_DIR TAG [AFTER:POINT]
 *
 * Without AFTER:POINT it runs until killed from outside. With it, the child
 * kills itself (SIGKILL) during save number AFTER+1 (AFTER saves are committed
 * and reported first), at POINT:
 *   vault       in the middle of copying the evidence file into the vault
 *               (a partial temporary file is on disk, nothing in the database)
 *   begin       right after BEGIN IMMEDIATE is sent to SQLite
 *   call:N      right after the save's N-th database call is sent
 *   commit      right after COMMIT is sent (SQLite may or may not finish it)
 *   unreported  after the save committed, before "saved" is printed
 * A point the save never reaches ends the child with status 3, so a test
 * cannot pass without the crash it asked for.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseStore } from '../../../store/case-store';
import { Database } from '../../../store/database';
import { EvidenceVault } from '../../../store/evidence-vault';
import { fakeComplaint, fakeResult } from '../helpers';

const [dataDir, tag, plan] = process.argv.slice(2);
const m = plan ? /^(\d+):(vault|begin|commit|unreported|call:(\d+))$/.exec(plan) : null;
if (plan && !m) {
  process.stderr.write(`save-loop: bad kill point "${plan}"\n`);
  process.exit(2);
}
const after = m ? Number(m[1]) : Infinity;
const point = m?.[2];
const callN = m?.[3] ? Number(m[3]) : 0;

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

/** True during the save the child dies in. */
let armed = false;
let calls = 0;

type Method = 'exec' | 'run' | 'get' | 'all' | 'prepare';
for (const name of ['exec', 'run', 'get', 'all', 'prepare'] as Method[]) {
  const proto = Database.prototype as unknown as Record<Method, (this: Database, sql: string, ...rest: unknown[]) => Promise<unknown>>;
  const original = proto[name];
  proto[name] = function (sql, ...rest) {
    const sent = original.call(this, sql, ...rest);
    if (armed) {
      calls++;
      if ((point === 'begin' && /^BEGIN/.test(sql)) || (point === 'commit' && sql === 'COMMIT') || (point === 'call:' + callN && calls === callN)) die();
    }
    return sent;
  };
}

const put = EvidenceVault.prototype.put;
EvidenceVault.prototype.put = function (source, expectSha256, journal) {
  if (!armed || point !== 'vault') return put.call(this, source, expectSha256, journal);
  // Hand over the first chunk; when the vault has written it and asks for more, die.
  return put.call(this, (async function* () {
    for await (const chunk of source) {
      yield chunk;
      die();
    }
  })(), expectSha256, journal);
};

const store = await CaseStore.open(dataDir);
const evidence = join(dataDir, '..', `evidence-${tag}.bin`);
for (let i = 0; ; i++) {
  armed = i === after;
  const text = `crash test ${tag} case ${i}: host 198.51.${i % 256}.${(i * 7) % 256} scanned us`;
  writeFileSync(evidence, `${text}\n`.repeat(200));
  const c = fakeComplaint({ text, subject: `crash ${tag} ${i}`, accused: [`198.51.${i % 256}.${(i * 7) % 256}`] });
  const r = await store.saveAnalysis({ complaintRaw: text, complaintName: `c${i}.txt`, complaint: c, evidence: [evidence], result: fakeResult(c, 'backscatter'), durationMs: 1 });
  if (armed) {
    if (point === 'unreported') die();
    process.stderr.write(`save-loop: kill point ${plan} not reached: the save made ${calls} database calls\n`);
    process.exit(3);
  }
  process.stdout.write(`saved ${r.case.id}\n`);
}
