import { resolve } from 'node:path';
import { StoreError } from '../../store/errors';
import { copySqliteToPg, type CopyReport } from '../../store/pg/copy-from-sqlite';
import { isPostgresUrl, openPgStore } from '../../store/pg/open';
import { terminalJson } from '../../analysis/util/printable';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `abuse-desk store migrate --from sqlite:DATA_DIR --to postgres://USER@HOST[:PORT]/DB [--json]

Copy a local case history (a data folder: cases.sqlite and evidence/) into a
desk's shared PostgreSQL database: every case with its evidence (checked
against its SHA-256 first, then stored in the database), runs, drafts,
notes, tags, audit trail, messages and sent replies, and the reply templates
(a template the desk already has is kept). Cases already there (the
same complaint fingerprint) are skipped, so running it again copies only what
is missing. Afterwards the rows of every copied case are counted on both
sides. Put the password in PGPASSWORD rather than in the URL.
Exit status: 0 copied and counted alike; 1 a store failed, a case was refused
or a count differs; 2 usage.`;

function render(r: CopyReport): string {
  const lines = [
    `cases: ${r.cases.inSource} in the local store, ${r.cases.copied} copied, ${r.cases.alreadyThere} already there, ${r.cases.refused} refused`,
    `reply templates: ${r.templates.inSource} in the local store, ${r.templates.copied} copied, ${r.templates.alreadyThere} already there (kept as the desk has them)`,
    ...Object.entries(r.rows).map(([t, n]) => `  ${t.padEnd(17)} ${String(n.source).padStart(7)} here ${String(n.destination).padStart(7)} there`),
    ...r.refused.map((x) => `refused case ${x.caseId}: ${x.reason}`),
    r.mismatches.length ? `COUNT CHECK FAILED:\n  ${r.mismatches.join('\n  ')}` : 'count check: every copied case has the same rows on both sides',
  ];
  return `${lines.join('\n')}\n`;
}

export async function storeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { process.stdout.write(`${HELP}\n`); return 0; }
  if (positionals[0] !== 'migrate') throw new UsageError(`store: unknown subcommand "${positionals[0] ?? ''}" (migrate)`);
  const from = values.from?.replace(/^sqlite:/, '');
  if (!from) throw new UsageError('store migrate: --from sqlite:DATA_DIR is needed');
  if (!values.to || !isPostgresUrl(values.to)) throw new UsageError('store migrate: --to postgres://… is needed');
  let dest: Awaited<ReturnType<typeof openPgStore>> | undefined;
  try {
    dest = await openPgStore(values.to);
    const report = await copySqliteToPg(resolve(from), dest.db, dest.vault, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rcase ${done} of ${total}`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(values.json ? `${terminalJson(report)}\n` : render(report));
    return report.mismatches.length || report.refused.length ? 1 : 0;
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    process.stderr.write(`abuse-desk: ${e.message}\n`);
    return 1;
  } finally {
    await dest?.db.close().catch(() => undefined);
  }
}
