import { printableLine, printableText } from '../../analysis/util/printable';
import { utcMinute } from '../../analysis/util/utc';
import type { CaseDetail, CaseSummary, HostHistory, RelatedCase, SearchHit } from '../../store/types';

// Subjects, names, tags and drafts come from complaints and bundles, anyone's text:
// each cell is one printable line and each page printable text (analysis/util/printable.ts).

const day = (ms: number | null): string => (ms === null ? '-' : utcMinute(ms));

/** One line per case: id, received, status, verdict, accused, reporter, subject. */
export function renderCaseTable(rows: Array<CaseSummary | SearchHit>): string {
  if (!rows.length) return 'No cases.\n';
  const head = ['id', 'received (UTC)', 'status', 'verdict', 'accused', 'reporter', 'subject'];
  const body = rows.map((c) => [
    String(c.id), day(c.receivedAt), c.status, c.verdict ? `${c.verdict} ${Math.round((c.confidence ?? 0) * 100)}%` : '-',
    c.accused.slice(0, 2).join(' ') + (c.accused.length > 2 ? ` +${c.accused.length - 2}` : ''), c.reporterAddress ?? '-', printableLine(c.subject ?? '').slice(0, 60),
  ].map(printableLine));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((r, i) => {
    out.push(line(body[i]));
    if ('snippet' in r && r.snippet) out.push(`      ${printableLine(r.snippet).replace(/\s+/g, ' ').slice(0, 160)}`);
  });
  return `${out.join('\n')}\n`;
}

/** A case as Markdown: custody banner first when broken, then the complaint, runs, drafts, notes, audit. */
export function renderCase(c: CaseDetail, related: RelatedCase[]): string {
  const o: string[] = [];
  if (c.custodyProblem) {
    o.push('!!! CHAIN OF CUSTODY BROKEN: evidence of this case no longer matches what was attached !!!');
    for (const e of c.evidence.filter((x) => x.custody === 'mismatch' || x.custody === 'missing')) {
      o.push(e.custody === 'missing'
        ? `!!! ${e.originalName}: MISSING (recorded SHA-256 ${e.sha256})`
        : `!!! ${e.originalName}: recorded SHA-256 ${e.sha256}, now ${e.actualSha256 ?? 'a different size'}`);
    }
    o.push('');
  }
  o.push(`# Case ${c.id}: ${printableLine(c.subject ?? '(no subject)')}`);
  o.push('');
  o.push(`Status: ${c.status} | verdict: ${c.verdict ? `${c.verdict} (${Math.round((c.confidence ?? 0) * 100)}%)` : 'not analysed'}${c.tags.length ? ` | tags: ${c.tags.map(printableLine).join(', ')}` : ''}`);
  o.push(`Received: ${day(c.receivedAt)} UTC | reporter: ${[c.reporterName, c.reporterAddress].filter(Boolean).join(' ') || '-'}`);
  o.push(`Accused: ${c.accused.join(', ') || '-'}${c.targets.length ? ` | complainant side: ${c.targets.join(', ')}` : ''}`);
  if (c.windowStart !== null) o.push(`Complaint window: ${day(c.windowStart)} – ${day(c.windowEnd)} UTC`);
  o.push('');
  o.push('## Evidence');
  if (!c.evidence.length) o.push('(none)');
  for (const e of c.evidence) {
    o.push(`- ${e.originalName}: ${e.size} bytes, ${e.format ?? 'format unknown'}, SHA-256 ${e.sha256} [${e.custody.toUpperCase()}]`);
  }
  o.push('');
  o.push('## Analysis runs');
  for (const r of c.runs) o.push(`- ${day(r.createdAt)} engine ${r.engineVersion}: ${r.verdict} (${Math.round(r.confidence * 100)}%), ${Math.round(r.durationMs)} ms`);
  if (!c.runs.length) o.push('(none)');
  const d = c.drafts.at(-1);
  o.push('');
  o.push(`## Reply draft${d ? ` (version ${d.version}, ${d.origin}${d.sentAt ? `, sent ${day(d.sentAt)}` : ', not sent'})` : ''}`);
  if (d) {
    o.push('');
    o.push(`Subject: ${printableLine(d.subject)}`);
    o.push('');
    o.push('```text');
    o.push(d.body.trimEnd());
    o.push('```');
  } else {
    o.push('(none)');
  }
  if (c.notes.length) {
    o.push('');
    o.push('## Notes');
    for (const n of c.notes) o.push(`- ${day(n.createdAt)}: ${n.body}`);
  }
  if (related.length) {
    o.push('');
    o.push('## Related cases');
    for (const r of related.slice(0, 15)) {
      o.push(`- case ${r.case.id} (${day(r.case.receivedAt)}, ${r.case.verdict ?? 'not analysed'}): ${r.reasons.join(', ')}${r.sharedAddresses.length ? ` [${r.sharedAddresses.join(', ')}]` : ''}`);
    }
  }
  o.push('');
  o.push('## Audit trail');
  for (const a of c.audit) o.push(`- ${new Date(a.at).toISOString()} ${a.action}${a.operator ? ` (${a.operator})` : ''}: ${a.detail}`);
  if (c.importedHistory?.length) {
    const bundles = [...new Set(c.importedHistory.map((a) => a.bundle))];
    o.push('');
    o.push(bundles.length === 1
      ? `## Imported history (from ${bundles[0]}: what that desk recorded, not checked here)`
      : `## Imported history (from ${bundles.join(', ')}, oldest first: what those desks recorded, not checked here)`);
    // A case passed from desk to desk carries each one's trail: each line names its bundle when there are several.
    for (const a of c.importedHistory) o.push(`- ${new Date(a.at).toISOString()} ${a.action}${bundles.length > 1 ? ` [${a.bundle}]` : ''}: ${a.detail}`);
  }
  return printableText(`${o.join('\n')}\n`);
}

export function renderHostHistory(h: HostHistory): string {
  const o = [`# ${h.address}: ${h.cases.length} complaint${h.cases.length === 1 ? '' : 's'}${h.firstSeen !== null ? ` from ${day(h.firstSeen)} to ${day(h.lastSeen)}` : ''}`];
  o.push(`Verdicts: ${Object.entries(h.byVerdict).filter(([, n]) => n).map(([v, n]) => `${v} ${n}`).join(', ') || '-'}`);
  o.push('');
  return printableText(`${o.join('\n')}\n${renderCaseTable(h.cases)}`);
}
