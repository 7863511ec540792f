import { call } from './call';
import { PagedList, type ListPage } from './paged-list.svelte';
import { selectionGroup } from '../../analysis/draft/group-reply';
import { QUEUE_CLASSES } from '../../analysis/case-vocabulary';
import type { AbuseDeskApi, BulkReply, CaseStatus, GroupDraftPreview, ImportSummary, QueueClass, QueueItem } from './types';

/** Declared once in analysis/case-vocabulary.ts, with the contract's schema and the store. */
export { QUEUE_CLASSES };

export const CLASS_LABEL: Record<QueueClass, string> = {
  compromise: 'Compromise',
  repeat: 'Repeat',
  phishing: 'Phishing',
  'malware-hosting': 'Malware hosting',
  other: 'Network abuse',
  spam: 'Spam',
  'open-service': 'Open service',
  copyright: 'Copyright',
  'false-positive': 'Likely false positive',
};

export const CLASS_HINT: Record<QueueClass, string> = {
  compromise: 'network abuse: our host may be infected; first',
  repeat: 'any class: a host reported more than once',
  phishing: 'a fraudulent site on our network',
  'malware-hosting': 'files or pages serving malware',
  other: 'scan, brute force, flood: no clear leaning yet',
  spam: 'mail from our network: feedback loops, traps',
  'open-service': 'a service anyone can reach (Shadowserver)',
  copyright: 'infringement notices to forward',
  'false-positive': 'backscatter or legitimate traffic: last',
};

/** The classes whose badge is the first look's verdict: it weighs traffic, so it speaks for network abuse only. */
export const NETWORK_CLASSES: readonly QueueClass[] = ['compromise', 'other', 'false-positive'];

/** An empty count for every class. */
export function noCounts(): Record<QueueClass, number> {
  return Object.fromEntries(QUEUE_CLASSES.map((c) => [c, 0])) as Record<QueueClass, number>;
}

const PAGE = 100;

/** A message that could not be read (quarantined by the store), listed above the cases. */
export interface UnreadableMessage { id: number; sourceName: string; error: string; quarantinedAt: number; attempts: number }

type QueueListPage = ListPage<QueueItem> & { counts: Record<QueueClass, number>; unreadable?: UnreadableMessage[] };

/**
 * The group reply's text (starting template per verdict and report type, the
 * placeholders) comes from the one module that also fills it in the store.
 */
export { GROUP_PLACEHOLDERS as PLACEHOLDERS, groupTemplate, parseGroupKey } from '../../analysis/draft/group-reply';

/**
 * The triage queue: the open cases, ranked by the store (compromise first,
 * likely false positives last) with the reason for each place; which row the
 * keyboard is on, and the rows picked for a bulk action.
 */
export class QueueState extends PagedList<QueueItem> {
  counts = $state<Record<QueueClass, number>>(noCounts());
  /** Messages that could not be read (the first page brings them). */
  unreadable = $state<UnreadableMessage[]>([]);
  /** Only this class, or all. */
  filter = $state<QueueClass | null>(null);
  /** Case ids picked with x for a bulk action. */
  picked = $state<number[]>([]);

  /** Every open case once: Repeat is a view across the classes, not one of them. */
  readonly total = $derived(QUEUE_CLASSES.reduce((s, c) => s + (c === 'repeat' ? 0 : this.counts[c]), 0));
  readonly pickedItems = $derived(this.rows.filter((i) => this.picked.includes(i.id)));
  /** The picked cases share one group key: they can be answered with one reviewed reply. */
  readonly pickedGroup = $derived.by(() => {
    const first = this.pickedItems[0]?.groupKey ?? null;
    return first !== null && this.pickedItems.every((i) => i.groupKey === first) ? first : null;
  });
  /** Why the picked cases cannot share one reply (mixed verdicts, hosts or report types), or null. */
  readonly pickedProblem = $derived(this.pickedGroup ? null : selectionGroup(this.pickedItems.map((i) => i.groupKey)).message ?? null);

  constructor(private readonly api: AbuseDeskApi) {
    super(PAGE);
  }

  protected override listKey(): string {
    return this.filter ?? '';
  }

  protected async fetchPage(offset: number, limit: number): Promise<QueueListPage> {
    return call(this.api, 'queue:list', { ...(this.filter ? { class: this.filter } : {}), limit, offset });
  }

  protected override received(page: QueueListPage): void {
    this.counts = page.counts;
    if (page.unreadable) this.unreadable = page.unreadable;
    this.picked = this.picked.filter((id) => this.rows.some((i) => i.id === id));
  }

  setFilter(c: QueueClass | null): Promise<void> {
    this.filter = this.filter === c ? null : c;
    return this.load();
  }

  togglePick(id: number): void {
    this.picked = this.picked.includes(id) ? this.picked.filter((x) => x !== id) : [...this.picked, id];
  }

  /** Pick every listed case of this case's group. */
  pickGroup(item: QueueItem): void {
    if (!item.groupKey) return;
    const ids = this.rows.filter((i) => i.groupKey === item.groupKey).map((i) => i.id);
    this.picked = [...this.picked, ...ids.filter((id) => !this.picked.includes(id))];
  }

  clearPicked(): void {
    this.picked = [];
  }

  async bulkTag(tag: string): Promise<BulkReply> {
    const r = await call(this.api, 'queue:bulk', { action: 'tag', caseIds: [...this.picked], tag });
    await this.load();
    return r;
  }

  async bulkStatus(status: CaseStatus, ids: number[] = this.picked): Promise<BulkReply> {
    const r = await call(this.api, 'queue:bulk', { action: 'status', caseIds: [...ids], status });
    if (ids === this.picked || status === 'closed') this.picked = this.picked.filter((id) => !ids.includes(id));
    await this.load();
    return r;
  }

  previewGroup(template: { subject: string; body: string }): Promise<GroupDraftPreview[]> {
    return call(this.api, 'queue:groupDraft', { caseIds: [...this.picked], ...template });
  }

  async replyToGroup(template: { subject: string; body: string }): Promise<BulkReply> {
    const r = await call(this.api, 'queue:bulk', { action: 'reply', caseIds: [...this.picked], ...template });
    this.picked = [];
    await this.load();
    return r;
  }
}

/**
 * "12 messages: 9 new cases, 2 joined their thread, 1 already here · 1 could
 * not be read (quarantined: INBOX UID 7)": every message is counted in one
 * of the parts, so the numbers add up to what was read.
 */
export function importSummaryText(s: ImportSummary): string {
  const c = s.counts;
  const parts = [`${c.created} new case${c.created === 1 ? '' : 's'}`];
  if (c['joined-thread']) parts.push(`${c['joined-thread']} joined their thread`);
  if (c['joined-duplicate']) parts.push(`${c['joined-duplicate']} joined the same complaint`);
  if (c['already-imported']) parts.push(`${c['already-imported']} already here`);
  const q = s.quarantined ?? [];
  const names = q.slice(0, 3).map((x) => x.source).join(', ') + (q.length > 3 ? ` and ${q.length - 3} more` : '');
  const unread = q.length ? ` · ${q.length} could not be read (quarantined: ${names})` : '';
  const stopped = s.aborted ? ' · stopped before the end' : '';
  return `${s.messages} message${s.messages === 1 ? '' : 's'}: ${parts.join(', ')}${s.warnings.length ? ` · ${s.warnings.length} with warnings` : ''}${unread}${stopped}`;
}
