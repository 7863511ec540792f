import { CaseStore } from '../../store/case-store';
import { StoreError } from '../../store/errors';
import { CASE_STATUSES, VERDICTS, type CaseFilters, type CaseStatus, type Verdict } from '../../store/types';
import { cliStore, STORE_HELP, STORE_OPTION } from '../store-option';
import { printableText, terminalJson } from '../../analysis/util/printable';
import { parseCommandArgs, UsageError } from '../usage';
import { analyzeStored } from './cases-analyze';
import { vaultCheckCommand } from './cases-check';
import { renderCase, renderCaseTable, renderHostHistory } from './cases-render';

const HELP = `abuse-desk cases COMMAND [--data-dir DIR] [--store URL] ...

The case history: every complaint saved with "analyze --save", its evidence,
analysis runs, reply drafts and audit trail.
  cases list [filters] [--json]            newest first
  cases search QUERY [filters] [--json]    full text: complaint, reporter, addresses, drafts
  cases show ID [--json] [--no-verify]     one case; re-hashes its evidence (chain of custody)
  cases host ADDR|CIDR [--json]            every complaint about one address over time
  cases reanalyze ID                       analyse again with this engine; old runs are kept
  cases export ID --out FILE|DIR           a bundle (tar): complaint, evidence, analysis JSON, reply.md
  cases import FILE                        a bundle from "cases export"
  cases backup --out DIR                   the whole store: database (VACUUM INTO) and evidence
  cases backup --check [--remove-orphans]  the evidence folder against the database: files no case names
                                           (orphans; removed when 10 minutes old with --remove-orphans)
                                           and evidence whose file is gone (exit 3)
Filters: --status new|analysed|replied|closed  --verdict backscatter|legitimate|compromise|inconclusive
         --accused ADDR|CIDR  --reporter-domain DOMAIN  --from DATE  --to DATE  --tag TAG
         --limit N (default 50)  --offset N
  --data-dir DIR   the data folder (default: $ABUSE_DESK_DATA_DIR, else $XDG_DATA_HOME/abuse-desk
                   or ~/.local/share/abuse-desk)
${STORE_HELP}
Exit status: 0 done; 1 the store failed (read-only, disk full, damaged; the message says which);
2 usage; 3 a case's evidence no longer matches its recorded SHA-256 (chain of custody broken).`;

const filterOptions = {
  status: { type: 'string', multiple: true },
  verdict: { type: 'string', multiple: true },
  accused: { type: 'string' },
  'reporter-domain': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  tag: { type: 'string' },
  limit: { type: 'string' },
  offset: { type: 'string' },
} as const;

const common = {
  'data-dir': { type: 'string' },
  ...STORE_OPTION,
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function intOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name}: "${v}" is not a number`);
  return Number(v);
}

function filtersFrom(values: Record<string, unknown>): CaseFilters {
  const status = (values.status as string[] | undefined) ?? [];
  for (const s of status) if (!CASE_STATUSES.includes(s as CaseStatus)) throw new UsageError(`--status: "${s}" is not one of ${CASE_STATUSES.join(', ')}`);
  const verdict = (values.verdict as string[] | undefined) ?? [];
  for (const v of verdict) if (!VERDICTS.includes(v as Verdict)) throw new UsageError(`--verdict: "${v}" is not one of ${VERDICTS.join(', ')}`);
  return {
    status: status.length ? (status as CaseStatus[]) : undefined,
    verdict: verdict.length ? (verdict as Verdict[]) : undefined,
    accused: values.accused as string | undefined,
    reporterDomain: values['reporter-domain'] as string | undefined,
    from: values.from as string | undefined,
    to: values.to as string | undefined,
    tag: values.tag as string | undefined,
    limit: intOption('limit', values.limit as string | undefined),
    offset: intOption('offset', values.offset as string | undefined),
  };
}

function caseId(v: string | undefined, sub: string): number {
  if (v === undefined) throw new UsageError(`cases ${sub} needs a case id`);
  if (!/^\d+$/.test(v)) throw new UsageError(`cases ${sub}: "${v}" is not a case id`);
  return Number(v);
}

const print = (s: string): void => { process.stdout.write(s); };
const json = (v: unknown): void => print(`${terminalJson(v)}\n`);

export async function casesCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    print(`${HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  const options = {
    ...common, ...filterOptions, out: { type: 'string' }, 'no-verify': { type: 'boolean' }, order: { type: 'string' },
    check: { type: 'boolean' }, 'remove-orphans': { type: 'boolean' },
  } as const;
  const { values, positionals } = parseCommandArgs({ args: rest, options, allowPositionals: true });
  if (values.help) { print(`${HELP}\n`); return 0; }
  const needsPositional = ['show', 'search', 'host', 'reanalyze', 'export', 'import'];
  if (!needsPositional.includes(sub) && positionals.length) throw new UsageError(`cases ${sub}: unexpected "${positionals[0]}"`);
  if (!['list', ...needsPositional, 'backup'].includes(sub)) throw new UsageError(`unknown cases command "${sub}"`);
  if (values['remove-orphans'] && !values.check) throw new UsageError('--remove-orphans goes with cases backup --check');
  if ((values.check || values['remove-orphans']) && sub !== 'backup') throw new UsageError(`cases ${sub}: --check is for cases backup`);
  if ((sub === 'export' || (sub === 'backup' && !values.check)) && !values.out) throw new UsageError(`cases ${sub} needs --out ${sub === 'export' ? 'FILE' : 'DIR'}`);
  if (values.order !== undefined && values.order !== 'newest' && values.order !== 'relevance') throw new UsageError('--order is newest or relevance');

  const where = cliStore(values);
  let store: CaseStore | undefined;
  try {
    store = await CaseStore.open(where.location, { operator: where.operator });
    if (store.readOnly && (['reanalyze', 'import'].includes(sub) || values['remove-orphans'])) throw new StoreError('read_only', store.readOnlyReason!);
    switch (sub) {
      case 'list': {
        const page = await store.listCases(filtersFrom(values));
        if (values.json) json(page);
        else print(renderCaseTable(page.items) + (page.hasMore ? `(more: --offset ${page.offset + page.limit})\n` : ''));
        return 0;
      }
      case 'search': {
        const query = positionals.join(' ');
        if (!query.trim()) throw new UsageError('cases search needs a QUERY');
        const page = await store.search(query, { ...filtersFrom(values), order: values.order as 'newest' | 'relevance' | undefined });
        if (values.json) json(page);
        else print(renderCaseTable(page.items) + (page.hasMore ? `(more: --offset ${page.offset + page.limit})\n` : ''));
        return 0;
      }
      case 'show': {
        const id = caseId(positionals[0], 'show');
        const c = await store.getCase(id, { verifyEvidence: !values['no-verify'] });
        const related = await store.relatedCases(id);
        if (values.json) json({ ...c, related });
        else print(renderCase(c, related));
        if (c.custodyProblem) {
          process.stderr.write(`abuse-desk: CHAIN OF CUSTODY BROKEN for case ${id}: evidence no longer matches its recorded SHA-256 (see above).\n`);
          return 3;
        }
        return 0;
      }
      case 'host': {
        if (!positionals[0]) throw new UsageError('cases host needs an address or CIDR');
        const h = await store.hostHistory(positionals[0]);
        if (values.json) json(h);
        else print(renderHostHistory(h));
        return 0;
      }
      case 'reanalyze': {
        const id = caseId(positionals[0], 'reanalyze');
        const { run, draft } = await store.reanalyze(id, analyzeStored);
        const runs = (await store.getCase(id)).runs;
        const prev = runs.at(-2);
        if (values.json) json({ caseId: id, run: { ...run, result: undefined }, previous: prev && { ...prev, result: undefined }, draftVersion: draft?.version ?? null });
        else {
          print(`Case ${id} re-analysed with engine ${run.engineVersion}: ${run.verdict} (${Math.round(run.confidence * 100)}%)`
            + `${prev ? `; previously ${prev.verdict} (${Math.round(prev.confidence * 100)}%, engine ${prev.engineVersion})` : ''}.`
            + ` ${runs.length} runs kept.${draft ? ` New draft version ${draft.version}.` : ' The draft did not change.'}\n`);
        }
        return 0;
      }
      case 'export': {
        const id = caseId(positionals[0], 'export');
        const out = await store.exportBundle(id, values.out!);
        print(`Case ${id} exported to ${out}\n`);
        return 0;
      }
      case 'import': {
        if (!positionals[0]) throw new UsageError('cases import needs a bundle FILE');
        const r = await store.importBundle(positionals[0]);
        if (values.json) json(r);
        else print(printableText(r.existed ? `This complaint is already case ${r.caseId}; nothing imported.\n` : `Imported as case ${r.caseId}.\n`));
        return 0;
      }
      case 'backup': {
        if (values.check) return await vaultCheckCommand(store, !!values['remove-orphans'], !!values.json);
        const r = await store.backup(values.out!);
        print(`Backed up to ${r.databasePath} and ${r.evidenceFiles} evidence file${r.evidenceFiles === 1 ? '' : 's'} (${(r.bytes / 1048576).toFixed(1)} MiB).\n`);
        return 0;
      }
    }
    return 2;
  } catch (e) {
    if (e instanceof StoreError) {
      process.stderr.write(`abuse-desk: ${e.message}\n`);
      return e.code === 'custody_mismatch' || e.code === 'evidence_missing' ? 3 : e.code === 'invalid' ? 2 : 1;
    }
    throw e;
  } finally {
    await store?.close();
  }
}
