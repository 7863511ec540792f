import type { AnalysisResult } from '../../analysis/pipeline';
import { printableLine, printableText } from '../../analysis/util/printable';

/**
 * The analysis as Markdown for a terminal or a ticket: verdict, findings, the
 * reply, the internal notes. Everything in it that came from the complaint or
 * the evidence loses control and bidi characters (analysis/util/printable.ts).
 */
export function renderMarkdown(r: AnalysisResult): string {
  const out: string[] = [];
  out.push(`# Verdict: ${r.verdict} (confidence ${Math.round(r.confidence * 100)}%)`);
  out.push('');
  out.push(`Accused: ${r.accused.join(', ') || '(none found)'}${r.targets.length ? ` | complainant side: ${r.targets.join(', ')}` : ''}`);
  if (r.timeOffsetSeconds) out.push(`Clock/zone offset between complaint and evidence: ${r.timeOffsetSeconds / 3600} h`);
  const factors = r.confidenceFactors ?? [];
  if (factors.length > 1) out.push(`Confidence: ${factors.map((f, i) => `${i === 0 ? '' : f.change < 0 ? '- ' : '+ '}${Math.round(Math.abs(f.change) * 100)}% ${f.reason}`).join(' ')}`);
  out.push('');
  if (r.findings.length) {
    out.push('## Findings');
    for (const f of r.findings) {
      out.push(`- **${f.id}** (${f.leaning}, ${Math.round(f.strength * 100)}%): ${f.summary}`);
      for (const e of f.evidence.slice(0, 3)) out.push(`  - \`${e.excerpt}\` (${e.file}${e.packet !== undefined ? ` #${e.packet}` : e.line !== undefined ? `:${e.line}` : ''})`);
    }
    out.push('');
  }
  out.push('## Reply draft');
  out.push('');
  out.push(`Subject: ${printableLine(r.draft.subject)}`);
  out.push('');
  out.push('```text');
  out.push(r.draft.body);
  out.push('```');
  out.push('');
  out.push('## Internal notes');
  for (const n of r.notes) out.push(`- ${n}`);
  if (r.warnings.length) {
    out.push('');
    out.push('## Warnings');
    for (const w of r.warnings) out.push(`- ${w}`);
  }
  return printableText(`${out.join('\n')}\n`);
}
