import { QUEUE_CLASSES, type QueueClass } from '../../analysis/triage/rank';
import { CaseStore } from '../../store/case-store';
import { StoreError } from '../../store/errors';
import type { QueuePage } from '../../store/intake-types';
import { cliStore, STORE_HELP, STORE_OPTION } from '../store-option';
import { printableLine, terminalJson } from '../../analysis/util/printable';
import { utcMinute } from '../../analysis/util/utc';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `abuse-desk queue [--class CLASS] [--limit N] [--offset N] [--data-dir DIR] [--store URL] [--json]

The open cases, most urgent first, each with the reason for its place. Classes,
in the order they are worked: compromise (network abuse judged a compromise;
analysed cases before first looks), phishing, malware-hosting, other (network
abuse with no clear leaning), spam, open-service (Shadowserver-style reports of
a service anyone can reach), copyright, false-positive (backscatter, legitimate
traffic). --class repeat lists the cases of any class whose host was reported
more than once. Closed cases are left out. Messages that could not be read
(quarantined: kept as received with the error) head the first page, as in the app.
${STORE_HELP}
Exit status: 0 done; 1 the store failed; 2 usage.`;

const CLASS_WORD: Record<QueueClass, string> = {
  compromise: 'COMPROMISE', repeat: 'REPEAT', phishing: 'PHISHING', 'malware-hosting': 'MALWARE', other: 'NETWORK', spam: 'SPAM',
  'open-service': 'OPEN-SVC', copyright: 'COPYRIGHT', 'false-positive': 'FALSE-POS',
};

/** Quarantined messages listed at the head of the first page (the latest; the app shows as many). */
const UNREADABLE_SHOWN = 50;

function render(p: QueuePage): string {
  const classes = QUEUE_CLASSES.filter((c) => c !== 'repeat').map((c) => `${p.counts[c]} ${c}`);
  const lines = [`Queue: ${classes.join(', ')} (${p.counts.repeat} repeat${p.counts.repeat === 1 ? '' : 's'})`];
  const unreadable = p.unreadable ?? [];
  if (unreadable.length) {
    lines.push(`Could not be read: ${unreadable.length}${unreadable.length === UNREADABLE_SHOWN ? ' (the latest)' : ''} message${unreadable.length === 1 ? '' : 's'}, kept as received`);
    for (const m of unreadable) {
      const attempts = m.attempts > 1 ? ` (${m.attempts} attempts)` : '';
      // Source names and errors come from the mail: one printable line each.
      lines.push(printableLine(`  could not be read  ${utcMinute(m.quarantinedAt)}  ${m.sourceName}: ${m.error}${attempts}`));
    }
  }
  for (const c of p.items) {
    const when = utcMinute(c.receivedAt);
    // The reason can quote the complaint (a reporter, a subject): one printable line.
    lines.push(`${String(c.id).padStart(6)}  ${CLASS_WORD[c.queueClass].padEnd(10)} ${when}  ${printableLine(c.accused[0] ?? '-').padEnd(15)}  ${printableLine(c.rankReason)}`);
  }
  if (p.hasMore) lines.push(`… more: --offset ${p.offset + p.limit}`);
  return `${lines.join('\n')}\n`;
}

export async function queueCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      class: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      'data-dir': { type: 'string' },
      ...STORE_OPTION,
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${HELP}\n`); return 0; }
  const cls = values.class as QueueClass | undefined;
  if (cls !== undefined && !QUEUE_CLASSES.includes(cls)) throw new UsageError(`--class: "${cls}" is not one of ${QUEUE_CLASSES.join(', ')}`);
  for (const k of ['limit', 'offset'] as const) if (values[k] !== undefined && !/^\d+$/.test(values[k])) throw new UsageError(`--${k}: "${values[k]}" is not a number`);
  const where = cliStore(values);
  let store: CaseStore | undefined;
  try {
    store = await CaseStore.open(where.location, { operator: where.operator });
    const offset = values.offset ? Number(values.offset) : undefined;
    const page: QueuePage = await store.queue({ class: cls, limit: values.limit ? Number(values.limit) : undefined, offset });
    // As the app's queue: the messages that could not be read head the first page, whatever the class.
    if (!offset) page.unreadable = await store.quarantinedMessages(UNREADABLE_SHOWN);
    process.stdout.write(values.json ? `${terminalJson(page)}\n` : render(page));
    return 0;
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    process.stderr.write(`abuse-desk: ${e.message}\n`);
    return 1;
  } finally {
    await store?.close().catch(() => undefined);
  }
}
