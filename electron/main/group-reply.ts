/**
 * `queue:groupDraft`: the group reply template filled in for each case, to
 * review before `queue:bulk` {action: 'reply'} saves it. The placeholders
 * are filled as CaseStore.replyToGroup fills them ({reporter}, {accused},
 * {quoted_lines}, {times}, {subject}); test/electron/intake.test.ts checks that
 * the preview and the saved drafts are the same text.
 *
 * TODO(store): replace with a store-side preview (e.g. CaseStore.previewGroupReply)
 * when there is one, so there is a single filler.
 */
import type { CaseStore } from '../../store/case-store';
import type { GroupDraftPreview } from '../common/contract';
import { CodedError } from '../common/result';

const PLACEHOLDER = /\{(reporter|accused|quoted_lines|times|subject)\}/g;

function utc(us: number): string {
  return `${new Date(Math.round(us / 1000)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

export async function previewGroupReply(store: CaseStore, caseIds: number[], template: { subject: string; body: string }): Promise<GroupDraftPreview[]> {
  const ids = [...new Set(caseIds)];
  const keys = new Set<string | null>();
  for (const id of ids) keys.add((await store.groupOf(id))?.groupKey ?? null);
  if (keys.size !== 1 || keys.has(null)) {
    throw new CodedError('bad_request', `Cases ${ids.join(', ')} are not one group (the same verdict, accused and activity): answer them separately.`);
  }
  const { parseComplaint } = await import('../../analysis/complaint/parse-complaint');
  const out: GroupDraftPreview[] = [];
  for (const id of ids) {
    const d = await store.getCase(id);
    const c = d.complaint;
    const parsed = await parseComplaint(new TextEncoder().encode(d.complaintRaw), { fileName: 'complaint' }).catch(() => null);
    const lines = (parsed?.quotedEvents ?? []).map((e) => e.raw).filter((l): l is string => !!l);
    const times = [...new Set([...(c.times ?? []).map((t) => t.ts), ...(parsed?.quotedEvents ?? []).map((e) => e.ts)])]
      .sort((a, b) => a - b).map(utc);
    const accused = [...d.accused].sort()[0] ?? c.accused?.join(', ') ?? '';
    const values: Record<string, string> = {
      reporter: c.reporter?.name || c.reporter?.organisation || c.reporter?.address || 'Sir or Madam',
      accused,
      quoted_lines: lines.length ? lines.join('\n') : '(no log lines were quoted)',
      times: times.length ? (times.length > 6 ? `${times[0]} to ${times.at(-1)} (${times.length} times)` : times.join(', ')) : '(no times were given)',
      subject: c.subject ?? '',
    };
    const fill = (s: string): string => s.replace(PLACEHOLDER, (_, k: string) => values[k]);
    out.push({ caseId: id, subject: fill(template.subject), body: fill(template.body), to: d.reporterAddress });
  }
  return out;
}
