import { inspectFile, type FileReport } from '../../services/inspect-file';
import { parseCommandArgs, UsageError } from '../usage';
import { timeReference } from './reference';

const HELP = `abuse-desk inspect FILE... [--json] [--zone ZONE] [--near DATE]

For each file: format, link type, packet or line count, time span in UTC,
top talkers, top conversations with their state, warnings.
  --json        one JSON document for all files
  --zone ZONE   zone of log times written without one (default UTC)
  --near DATE   a date near the logs, for times written without a year (default now)`;

export async function inspectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, zone: { type: 'string' }, near: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { process.stdout.write(`${HELP}\n`); return 0; }
  if (positionals.length === 0) throw new UsageError('inspect needs at least one FILE');
  const ref = timeReference(values.near, values.zone);
  const reports: FileReport[] = [];
  for (const path of positionals) {
    const report = await inspectFile(path, ref);
    reports.push(report);
    if (!values.json) process.stdout.write(renderReport(report));
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ files: reports }, null, 2)}\n`);
  return 0;
}

function endpoint(addr: string, port: number | undefined): string {
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

export function renderReport(r: FileReport): string {
  const lines: string[] = [];
  lines.push(`== ${r.file}`);
  lines.push(`format:     ${r.format}${r.linkTypes.length ? ` (${r.linkTypes.join(', ')})` : ''}`);
  const unit = r.format === 'pcap' || r.format === 'pcapng' ? 'packets' : 'records';
  lines.push(`${unit.padEnd(11)} ${r.records}${r.skipped ? ` (${r.skipped} lines skipped)` : ''}`);
  if (r.firstTs) lines.push(`time span:  ${r.firstTs} .. ${r.lastTs}${r.timeInferred ? ' (year or zone inferred)' : ''}`);
  if (r.topTalkers.length) {
    lines.push('top talkers:');
    for (const t of r.topTalkers) lines.push(`  ${t.address.padEnd(40)} ${String(t.packets).padStart(9)} pkts ${String(t.bytes).padStart(12)} bytes`);
  }
  if (r.topConversations.length) {
    lines.push('top conversations:');
    for (const c of r.topConversations) {
      lines.push(`  ${c.proto.padEnd(5)} ${endpoint(c.orig, c.origPort)} -> ${endpoint(c.resp, c.respPort)}  ${c.packetsOrig}/${c.packetsResp} pkts  ${c.state} ${c.history}`);
    }
  }
  if (r.error) lines.push(`error: ${r.error}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n\n`;
}
