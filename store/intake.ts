/**
 * Mail into the case store: parse each message (analysis/complaint), take a
 * first look (analysis/triage), and store it with CaseStore.intakeMessage,
 * which opens a case or joins the one it belongs to. Used by `abuse-desk
 * import` and the app alike; the message sources are cli/intake's readers
 * (mbox, Maildir, .eml, IMAP), whose messages fit `RawIntakeMessage`.
 */
import type { Complaint } from '../analysis/complaint/complaint';
import { parseComplaint } from '../analysis/complaint/parse-complaint';
import { firstLook, type FirstLook } from '../analysis/triage/first-look';
import type { Inventory } from '../analysis/triage/inventory';
import type { CaseStore } from './case-store';
import { intakeSourceName } from './intake-rows';
import type { IntakeAction, IntakeMessageInput, IntakeOutcome, IntakeSource } from './intake-types';

export type * from './intake-types';

/** A message as a reader yields it (cli/intake's IntakeMessage has this shape). */
export interface RawIntakeMessage {
  raw: Uint8Array;
  source: IntakeSource;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  warnings: string[];
}

export interface ImportOptions {
  /** Our networks (CIDR), for the accused and the first look. */
  ourNets?: string[];
  inventory?: Inventory;
  /** Called after each message is stored (progress, a live list). */
  onMessage?: (outcome: IntakeOutcome, message: RawIntakeMessage) => void;
  /** Stop between batches (what was stored stays stored). */
  signal?: AbortSignal;
  /**
   * Messages stored per transaction (default 1: each message is committed,
   * fsync'd, before the next is read). Bulk imports pass more (e.g. 100):
   * one fsync per batch, many times faster; a crash loses at most that batch.
   */
  batchSize?: number;
}

export interface ImportSummary {
  messages: number;
  counts: Record<IntakeAction, number>;
  /** Cases touched (created or joined), in first-seen order. */
  caseIds: number[];
  /** Messages with warnings: kept, but worth a look. */
  warnings: Array<{ source: string; caseId: number; warnings: string[] }>;
  /** True when stopped by the signal before the end. */
  aborted: boolean;
}

/** Parse and first-look one message (never throws: what cannot be read is kept raw, with a warning). */
export async function prepareMessage(msg: RawIntakeMessage, opts: Pick<ImportOptions, 'ourNets' | 'inventory'> = {}): Promise<IntakeMessageInput> {
  const warnings = [...msg.warnings];
  let complaint: Complaint | null = null;
  let look: FirstLook | null = null;
  try {
    complaint = msg.raw.length ? await parseComplaint(msg.raw, { fileName: intakeSourceName(msg.source), ourNets: opts.ourNets }) : null;
  } catch (e) {
    warnings.push(`could not be read as a complaint: ${(e as Error).message}`);
  }
  if (complaint) {
    try {
      look = firstLook(complaint, { ourNets: opts.ourNets, inventory: opts.inventory });
    } catch (e) {
      warnings.push(`no first look: ${(e as Error).message}`);
    }
  }
  return { ...msg, warnings, complaint, firstLook: look };
}

/** Import messages in order, `batchSize` per transaction (an interrupted import keeps every batch it stored). */
export async function importMessages(store: CaseStore, messages: AsyncIterable<RawIntakeMessage> | Iterable<RawIntakeMessage>, opts: ImportOptions = {}): Promise<ImportSummary> {
  const summary: ImportSummary = {
    messages: 0, counts: { created: 0, 'joined-thread': 0, 'joined-duplicate': 0, 'already-imported': 0 }, caseIds: [], warnings: [], aborted: false,
  };
  const seen = new Set<number>();
  const size = Math.max(1, Math.trunc(opts.batchSize ?? 1));
  type Item = { msg: RawIntakeMessage; input: IntakeMessageInput };
  const store1 = async (batch: Item[]): Promise<void> => {
    const outcomes = await store.intakeBatch(batch.map((b) => b.input));
    outcomes.forEach((outcome, i) => {
      const { msg } = batch[i];
      summary.messages++;
      summary.counts[outcome.action]++;
      if (!seen.has(outcome.caseId)) { seen.add(outcome.caseId); summary.caseIds.push(outcome.caseId); }
      if (outcome.warnings.length && outcome.action !== 'already-imported') {
        summary.warnings.push({ source: intakeSourceName(msg.source), caseId: outcome.caseId, warnings: outcome.warnings });
      }
      opts.onMessage?.(outcome, msg);
    });
  };
  // The next batch is parsed while the previous one is being written (batches are still stored in order).
  let writing: Promise<void> = Promise.resolve();
  let batch: Item[] = [];
  for await (const msg of messages) {
    if (opts.signal?.aborted) { summary.aborted = true; break; }
    batch.push({ msg, input: await prepareMessage(msg, opts) });
    if (batch.length >= size) {
      const full = batch;
      batch = [];
      await writing;
      writing = store1(full);
      writing.catch(() => undefined); // handled by the next `await writing`; this only keeps Node from calling it unhandled meanwhile
    }
  }
  await writing;
  if (batch.length) await store1(batch);
  return summary;
}
