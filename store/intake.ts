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
import { StoreError } from './errors';
import { DEATHS_BEFORE_QUARANTINE, dieReadingInTests, InflightMarker } from './inflight';
import { intakeSourceName } from './intake-rows';
import type { IntakeAction, IntakeMessageInput, IntakeOutcome, IntakeSource } from './intake-types';
import { releaseWholeMessage, type WholeMessageFile } from './whole-message';

export type * from './intake-types';

/** A message as a reader yields it (cli/intake's IntakeMessage has this shape). */
export interface RawIntakeMessage {
  raw: Uint8Array;
  source: IntakeSource;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  warnings: string[];
  /** Set when `raw` holds only the message's first bytes: the file holding it whole (kept with the case; a spool is removed once settled). */
  whole?: WholeMessageFile;
}

export interface ImportOptions {
  /** Our networks (CIDR), for the accused and the first look. */
  ourNets?: string[];
  inventory?: Inventory;
  /** Called after each message is stored (progress, a live list). */
  onMessage?: (outcome: IntakeOutcome, message: RawIntakeMessage) => void;
  /** Called after each message is done with: stored or quarantined (a mailbox cursor may move past it). */
  onSettled?: (message: RawIntakeMessage) => void;
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
  /** Messages that could not be read and were quarantined (store/quarantine.ts), with why (importMessages always fills it). */
  quarantined?: Array<{ source: string; error: string }>;
}

/** What prepareMessage gives: the message to store, or why it cannot be read at all. */
export type PreparedMessage = IntakeMessageInput & { failure?: string; whole?: WholeMessageFile };

/**
 * A batch failed for something in a message (not for the store as a whole:
 * a full disk, a read-only or busy store stop the import instead).
 */
function messageFault(e: unknown): boolean {
  if (!(e instanceof StoreError)) return true;
  if (e.code === 'invalid') return true;
  if (e.code !== 'io') return false;
  const cause = e.cause as { code?: string; message?: string } | undefined;
  // A message too big for a row, or a program error on this message's content (no system or SQLite code).
  return /SQLITE_TOOBIG|string or blob too big/i.test(cause?.message ?? e.message) || (cause !== undefined && !cause.code);
}

/**
 * Parse and first-look one message (never throws). The parser works within
 * the budgets (analysis/limits.ts) and keeps what it could read; when it
 * still throws, the message is a `failure`, for the quarantine.
 */
export async function prepareMessage(msg: RawIntakeMessage, opts: Pick<ImportOptions, 'ourNets' | 'inventory'> = {}): Promise<PreparedMessage> {
  const warnings = [...msg.warnings];
  let complaint: Complaint | null = null;
  let look: FirstLook | null = null;
  try {
    complaint = msg.raw.length ? await parseComplaint(msg.raw, { fileName: intakeSourceName(msg.source), ourNets: opts.ourNets }) : null;
  } catch (e) {
    return { ...msg, warnings, complaint: null, firstLook: null, failure: `could not be read as a complaint: ${(e as Error).message || String(e)}` };
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

/**
 * Import messages in order, `batchSize` per transaction (an interrupted import keeps every batch it stored). A message
 * that cannot be read, or that makes its batch fail, is quarantined (the rest of its batch is stored one by one) and
 * the import goes on; a failure of the store itself (disk full, read-only, busy) stops it.
 */
export async function importMessages(store: CaseStore, messages: AsyncIterable<RawIntakeMessage> | Iterable<RawIntakeMessage>, opts: ImportOptions = {}): Promise<ImportSummary> {
  const summary: ImportSummary = {
    messages: 0, counts: { created: 0, 'joined-thread': 0, 'joined-duplicate': 0, 'already-imported': 0 }, caseIds: [], warnings: [], aborted: false, quarantined: [],
  };
  const seen = new Set<number>();
  const size = Math.max(1, Math.trunc(opts.batchSize ?? 1));
  type Item = { msg: RawIntakeMessage; input: PreparedMessage };
  /** Spools of messages read and not yet settled: removed once they are, and whatever happens to the import. */
  const spooled = new Set<WholeMessageFile>();
  const release = async (msg: RawIntakeMessage): Promise<void> => {
    if (!msg.whole) return;
    spooled.delete(msg.whole);
    await releaseWholeMessage(msg.whole);
  };
  const quarantine = async ({ msg }: Item, error: string): Promise<void> => {
    // A row keeps the first bytes (quarantine.ts); `size` says how long the message was.
    await store.quarantineMessage({ raw: msg.raw, source: msg.source, messageId: msg.messageId, error, size: msg.whole?.size });
    await release(msg);
    summary.messages++;
    summary.quarantined?.push({ source: intakeSourceName(msg.source), error });
    opts.onSettled?.(msg);
  };
  const stored = async (batch: Item[], outcomes: IntakeOutcome[]): Promise<void> => {
    for (const { msg } of batch) await release(msg);
    outcomes.forEach((outcome, i) => {
      const { msg } = batch[i];
      summary.messages++;
      summary.counts[outcome.action]++;
      if (!seen.has(outcome.caseId)) { seen.add(outcome.caseId); summary.caseIds.push(outcome.caseId); }
      if (outcome.warnings.length && outcome.action !== 'already-imported') {
        summary.warnings.push({ source: intakeSourceName(msg.source), caseId: outcome.caseId, warnings: outcome.warnings });
      }
      opts.onMessage?.(outcome, msg);
      opts.onSettled?.(msg);
    });
  };
  const store1 = async (batch: Item[]): Promise<void> => {
    // In order: a message that could not be read is set aside where it stands.
    let run: Item[] = [];
    const flush = async (): Promise<void> => {
      if (!run.length) return;
      const items = run;
      run = [];
      try {
        await stored(items, await store.intakeBatch(items.map((b) => b.input)));
      } catch (e) {
        if (!messageFault(e)) throw e;
        // Which one? Each alone: the one that fails again is quarantined with its error.
        if (items.length === 1) return quarantine(items[0], `could not be stored: ${(e as Error).message || String(e)}`);
        for (const item of items) { run = [item]; await flush(); }
      }
    };
    for (const item of batch) {
      if (item.input.failure !== undefined) { await flush(); await quarantine(item, item.input.failure); } else run.push(item);
    }
    await flush();
  };
  // The next batch is parsed while the previous one is being written (batches are still stored in order).
  let writing: Promise<void> = Promise.resolve();
  let batch: Item[] = [];
  const inflight = new InflightMarker(store.dataDir);
  try {
    return await readAll();
  } finally {
    // A batch still being written reads its spools: it ends first.
    await writing.catch(() => undefined);
    for (const w of spooled) await releaseWholeMessage(w);
  }

  async function readAll(): Promise<ImportSummary> {
    for await (const msg of messages) {
      if (msg.whole?.spooled) spooled.add(msg.whole);
      if (opts.signal?.aborted) { summary.aborted = true; break; }
      // A message that stopped the process while being read, run after run, is set aside unread (inflight.ts).
      const deaths = store.readOnly ? 0 : await inflight.begin(msg.raw, msg.source).catch(() => 0);
      let input: PreparedMessage;
      if (deaths >= DEATHS_BEFORE_QUARANTINE) {
        input = { ...msg, warnings: [...msg.warnings], complaint: null, firstLook: null, failure: `not read: reading it stopped Abuse Desk ${deaths} times (out of memory, or killed)` };
      } else {
        dieReadingInTests(msg.raw);
        input = await prepareMessage(msg, opts);
      }
      if (!store.readOnly) await inflight.end(msg.raw, msg.source).catch(() => undefined);
      batch.push({ msg, input });
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
}
