import { readFile } from 'node:fs/promises';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import { firstLook, type FirstLook } from '../../analysis/triage/first-look';
import { formatInventoryEntry, parseInventory, type Inventory } from '../../analysis/triage/inventory';
import { printableText, terminalJson } from '../../analysis/util/printable';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `abuse-desk triage --complaint FILE|- [--our-net CIDR]... [--inventory FILE] [--json]

A first look at a complaint before any evidence: what can already be said
(impossible sources, answers from our service ports, the quoted lines' flags,
the reporter's sensor, the host's role), a PROVISIONAL verdict, and the exact
commands to pull our captures, flow records and firewall logs for its window (UTC).
  --complaint FILE   the complaint; "-" reads standard input
  --our-net CIDR     our networks (repeatable)
  --inventory FILE   our hosts and what they run: text ("198.51.100.10  web server  80,443")
                     or JSON ([{"match": "...", "role": "...", "servicePorts": [80, 443]}])
  --json             one JSON object (provisional, findings, notes, pull, window, warnings)
Exit status: 0 when the first look completes; 2 for a usage error or an unreadable file.`;

async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of process.stdin) chunks.push(c as Uint8Array);
  return Buffer.concat(chunks);
}

/** The first look as Markdown; the complaint's strings lose control and bidi characters (analysis/util/printable.ts). */
export function renderFirstLook(r: FirstLook, inventory: Inventory): string {
  const p = r.provisional;
  const lines = [
    `# Provisional verdict: ${p.verdict} (confidence ${p.confidence.toFixed(2)}, ${p.note})`,
    '',
    `Accused: ${r.accused.join(', ') || '(none found)'}${r.targets.length ? `; complainant: ${r.targets.join(', ')}` : ''}`,
    `Window (UTC): ${r.window.from && r.window.to ? `${r.window.from} to ${r.window.to}` : 'unknown'}${r.window.inferred ? ' (inferred)' : ''}: ${r.window.basis}`,
    '',
    '## Reasons',
    ...p.reasons.map((s) => `- ${s}`),
  ];
  if (r.notes.length) lines.push('', '## Notes', ...r.notes.map((s) => `- ${s}`));
  const hosts = r.accused.map((a) => inventory.find((e) => r.findings.some((f) => f.facts?.match === e.match && f.facts?.address === a))).filter((e) => e !== undefined);
  if (hosts.length) lines.push('', '## Inventory', ...hosts.map((e) => `- ${formatInventoryEntry(e)}`));
  lines.push('', '## Evidence to pull (times in UTC)');
  for (const c of r.pull) lines.push('', `${c.tool}: ${c.purpose}`, '```sh', c.command, '```');
  if (r.warnings.length) lines.push('', '## Warnings', ...r.warnings.map((w) => `- ${w}`));
  return printableText(`${lines.join('\n')}\n`);
}

export async function triageCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      complaint: { type: 'string' },
      'our-net': { type: 'string', multiple: true },
      inventory: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${HELP}\n`); return 0; }
  if (!values.complaint) throw new UsageError('triage needs --complaint FILE (or - for standard input)');
  const ourNets = values['our-net'] ?? [];
  for (const cidr of ourNets) {
    if (!/^[0-9a-f:.]+(\/\d{1,3})?$/i.test(cidr)) throw new UsageError(`--our-net: "${cidr}" is not an address or CIDR`);
  }
  let inventory: Inventory = [];
  const warnings: string[] = [];
  if (values.inventory) {
    try {
      const parsed = parseInventory(await readFile(values.inventory, 'utf8'));
      inventory = parsed.inventory;
      warnings.push(...parsed.warnings);
    } catch (e) {
      process.stderr.write(`abuse-desk: cannot read the inventory ${values.inventory}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = values.complaint === '-' ? await readStdin() : await readFile(values.complaint);
  } catch (e) {
    process.stderr.write(`abuse-desk: cannot read the complaint ${values.complaint}: ${(e as Error).message}\n`);
    return 2;
  }
  const complaint = await parseComplaint(bytes, { fileName: values.complaint === '-' ? 'stdin' : values.complaint, ourNets });
  const result = firstLook(complaint, { ourNets, inventory });
  result.warnings.push(...warnings);
  process.stdout.write(values.json ? `${terminalJson(result)}\n` : renderFirstLook(result, inventory));
  return 0;
}
