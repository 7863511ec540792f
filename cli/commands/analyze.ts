import { readFile } from 'node:fs/promises';
import { REPLY_ACTIONS, type ReplyAction } from '../../analysis/draft/reply';
import { parseCommandArgs, UsageError } from '../usage';
import { parseZone } from '../../analysis/util/time';
import { parseInventory, type Inventory } from '../../analysis/triage/inventory';
import { ProgressLine } from '../io/progress-line';
import { renderMarkdown } from './render-markdown';
import { terminalJson } from '../../analysis/util/printable';
import { analyzeFiles } from '../../services/analyze-files';
import { cliStore, STORE_OPTION } from '../store-option';

const HELP = `abuse-desk analyze --complaint FILE|- [--evidence FILE]... [--our-net CIDR]... [--action A]... [--json]

Reads the complaint (pasted text or .eml; - for standard input), weighs it against
the evidence, and prints the verdict, the findings and a reply draft.
  --complaint FILE   the complaint; "-" reads standard input
  --evidence FILE    a capture or log from our side (repeatable)
  --our-net CIDR     our networks (repeatable): the accused are the complaint's addresses inside them
  --evidence-zone Z  zone of our logs' times written without one (default UTC)
  --inventory FILE   our hosts and what they run ("198.51.100.10  web server  80,443", or JSON)
  --no-mask          show third parties' addresses unmasked in the reply
  --action A         what we did, stated in the reply (repeatable): filtered, isolated,
                     customer-notified, or none (the default: the reply states no action)
  --json             one JSON object (schemaVersion, verdict, confidence, accused, complaint,
                     findings, timeOffsetSeconds, warnings, draft, notes; with --save also savedCase)
  --save             keep the case in the case history: complaint, evidence (by SHA-256), this
                     analysis run and the generated draft; prints the case id. The same complaint
                     saved again adds the run to its existing case (see "abuse-desk cases")
  --data-dir DIR     where --save keeps cases (default: $ABUSE_DESK_DATA_DIR, else
                     $XDG_DATA_HOME/abuse-desk or ~/.local/share/abuse-desk)
  --store URL        with --save: the desk's shared case store, postgres://USER@HOST[:PORT]/DB (the
                     password in PGPASSWORD or ~/.pgpass); default $ABUSE_DESK_STORE, else --data-dir's
Exit status: 0 when the analysis completes, whatever the verdict; 2 for a usage
error or an unreadable complaint; 1 when --save could not store the case (the
analysis is still printed).`;

async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of process.stdin) chunks.push(c as Uint8Array);
  return Buffer.concat(chunks);
}


/** Read an inventory file; an unreadable one is a usage error, unreadable lines are warnings on stderr. */
async function readInventory(path: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--inventory: cannot read ${path}: ${(e as Error).message}`);
  }
  const parsed = parseInventory(text);
  for (const w of parsed.warnings) process.stderr.write(`abuse-desk: ${path}: ${w}\n`);
  return parsed.inventory;
}

/** --action values: each of REPLY_ACTIONS at most once, or "none" alone. */
function parseActions(values: string[]): ReplyAction[] {
  const out: ReplyAction[] = [];
  for (const v of values) {
    if (v === 'none') continue;
    if (!REPLY_ACTIONS.includes(v as ReplyAction)) throw new UsageError(`--action: unknown action "${v}" (use ${[...REPLY_ACTIONS, 'none'].join(', ')})`);
    if (!out.includes(v as ReplyAction)) out.push(v as ReplyAction);
  }
  if (out.length && values.includes('none')) throw new UsageError('--action none cannot be combined with another action');
  return out;
}

export async function analyzeCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      complaint: { type: 'string' },
      evidence: { type: 'string', multiple: true },
      'our-net': { type: 'string', multiple: true },
      'evidence-zone': { type: 'string' },
      inventory: { type: 'string' },
      json: { type: 'boolean' },
      'no-mask': { type: 'boolean' },
      action: { type: 'string', multiple: true },
      save: { type: 'boolean' },
      'data-dir': { type: 'string' },
      ...STORE_OPTION,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${HELP}\n`); return 0; }
  if (!values.complaint) throw new UsageError('analyze needs --complaint FILE (or - for standard input)');
  if (values['evidence-zone'] !== undefined && !parseZone(values['evidence-zone'])) {
    throw new UsageError(`--evidence-zone: unknown zone "${values['evidence-zone']}" (use e.g. UTC, CET, UTC+1, Europe/Berlin)`);
  }
  for (const cidr of values['our-net'] ?? []) {
    if (!/^[0-9a-f:.]+\/\d{1,3}$/i.test(cidr) && !/^[0-9a-f:.]+$/i.test(cidr)) throw new UsageError(`--our-net: "${cidr}" is not an address or CIDR`);
  }
  const actions = parseActions(values.action ?? []);
  let bytes: Uint8Array;
  try {
    bytes = values.complaint === '-' ? await readStdin() : await readFile(values.complaint);
  } catch (e) {
    process.stderr.write(`abuse-desk: cannot read the complaint ${values.complaint}: ${(e as Error).message}\n`);
    return 2;
  }
  if (values['data-dir'] !== undefined && !values.save) throw new UsageError('--data-dir is for --save');
  if (values.store !== undefined && !values.save) throw new UsageError('--store is for --save');
  const where = values.save ? cliStore(values) : undefined;
  const complaintName = values.complaint === '-' ? 'stdin' : values.complaint;
  const input = {
    complaint: bytes,
    complaintName,
    evidence: values.evidence ?? [],
    ourNets: values['our-net'] ?? [],
    evidenceZone: values['evidence-zone'],
    inventory: values.inventory ? await readInventory(values.inventory) : undefined,
    mask: !values['no-mask'],
    actions,
  };
  // Big captures take a while: say how far, how fast and how long on the terminal (never into a pipe or a log).
  const progress = process.stderr.isTTY ? new ProgressLine((s) => process.stderr.write(s)) : undefined;
  const t0 = performance.now();
  const result = await analyzeFiles({ ...input, onProgress: progress && ((p, i) => progress.update(p, i)) });
  progress?.clear();
  const durationMs = Math.round((performance.now() - t0) * 10) / 10;
  if (!values.save) {
    process.stdout.write(values.json ? `${terminalJson(result)}\n` : renderMarkdown(result));
    return 0;
  }
  // The analysis is printed whether or not saving works: the operator's work is never lost to a store failure.
  // The store (and sqlite3) is loaded only here: an analysis without --save never needs it.
  const { saveAnalysedCase } = await import('./cases-save');
  const saved = await saveAnalysedCase(where!.location, input, result, durationMs, where!.operator);
  const savedCase = saved.ok ? { id: saved.caseId, existed: saved.existed, dataDir: saved.dataDir } : { error: saved.error };
  process.stdout.write(values.json ? `${terminalJson({ ...result, savedCase })}\n` : renderMarkdown(result));
  if (!saved.ok) {
    process.stderr.write(`abuse-desk: the analysis above was NOT saved: ${saved.error.message}\n`);
    return 1;
  }
  if (!values.json) {
    process.stdout.write(`\n${saved.existed ? `The same complaint is already case ${saved.caseId}: this run was added to it` : `Saved as case ${saved.caseId}`} (data folder ${saved.dataDir}).\n`);
  }
  process.stderr.write(`saved case ${saved.caseId}\n`);
  return 0;
}
