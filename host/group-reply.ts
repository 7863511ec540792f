/**
 * `queue:groupDraft`: the group reply template filled in for each case, to
 * review before `queue:bulk` {action: 'reply'} saves it. The store fills it
 * (CaseStore.previewGroupReply, with analysis/draft/group-reply.ts, which owns
 * the text), the same filler replyToGroup saves with, so the preview is the
 * saved draft; test/electron/intake.test.ts checks that.
 */
import type { CaseStore, GroupReplyExtras } from '../store/case-store';
import type { GroupDraftPreview } from '../electron/common/contract';

export async function previewGroupReply(store: CaseStore, caseIds: number[], template: { subject: string; body: string }, extras?: GroupReplyExtras): Promise<GroupDraftPreview[]> {
  return (await store.previewGroupReply(caseIds, template, extras)).map(({ caseId, subject, body, to }) => ({ caseId, subject, body, to }));
}
