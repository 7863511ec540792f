/**
 * Reading a complaint's attachments for facts: structured reports (ARF,
 * X-ARF, event CSV), texts for quoted log lines and words, zips opened.
 * Every byte decoded and every text kept is taken from the message's
 * budget (analysis/limits.ts): a mail of sixty small zips reads what fits,
 * names the part where reading stopped and the limit, and the rest of the
 * analysis goes on.
 */
import { textLikeness } from '../ingest/text-reader';
import { formatBytes, type MessageBudget } from '../limits';
import { printableLine } from '../util/printable';
import { isFeedbackReport, parseFeedbackReport } from './arf';
import type { ComplaintAttachment } from './complaint';
import type { ReportFacts } from './facts';
import type { QuotedSource } from './quoted';
import { isZip, zipEntries } from './unzip';
import { findXarfYamlBlocks, isEventCsv, isXarfJson, parseEventCsv, parseXarfJson, parseXarfYaml } from './xarf';

export interface Gathered {
  reports: ReportFacts[];
  /** Texts read for quoted log lines, body first. */
  quoted: QuotedSource[];
  /** Text of attachments, analysed for words too (capped). */
  extraText: string[];
  warnings: string[];
}

export function emptyGathered(): Gathered {
  return { reports: [], quoted: [], extraText: [], warnings: [] };
}

/** Characters of one attachment's text kept for words (addresses, activity, sensor). */
const EXTRA_TEXT_CHARS = 256 * 1024;

export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function isTextual(a: ComplaintAttachment): boolean {
  if (/^(?:text\/|message\/feedback-report|application\/(?:json|x-yaml|yaml|csv|xml))/.test(a.contentType)) return true;
  if (/\.(?:txt|log|csv|json|ya?ml)$/i.test(a.filename)) return true;
  return a.content.length > 0 && textLikeness(a.content.subarray(0, 65536)) > 0.97;
}

function guessType(name: string): string {
  if (/\.csv$/i.test(name)) return 'text/csv';
  if (/\.json$/i.test(name)) return 'application/json';
  if (/\.(?:txt|log)$/i.test(name)) return 'text/plain';
  return 'application/octet-stream';
}

/**
 * Read structured reports and texts out of the attachments (unzipping
 * Shadowserver archives), within `budget`. `path` names the enclosing zip
 * for warnings ("report.zip: data.csv").
 */
export async function gatherAttachments(attachments: ComplaintAttachment[], g: Gathered, budget: MessageBudget, depth = 0, path = ''): Promise<void> {
  const lim = budget.limits;
  for (const a of attachments) {
    const name = `${path}${a.filename}`;
    if (budget.spent) { budget.skipped.push(name); continue; }
    if (!budget.takeAttachment()) {
      budget.spent = `attachments (${lim.attachments} per message)`;
      g.warnings.push(`stopped at attachment ${name}: the message's attachment limit (${lim.attachments}) is reached`);
      budget.skipped.push(name);
      continue;
    }
    if (isZip(a.content)) {
      if (depth >= lim.zipDepth) {
        g.warnings.push(`attachment ${name} is a zip inside a zip: not opened (zip nesting limit ${lim.zipDepth})`);
        continue;
      }
      await gatherZip(a, name, g, budget, depth);
      continue;
    }
    if (!isTextual(a)) continue;
    // A zip entry's bytes were counted as they were inflated; a mail part's text is counted as it is decoded.
    const room = depth === 0 ? budget.decodedRoom() : Infinity;
    const take = Math.min(a.content.length, lim.attachmentTextBytes, room);
    if (take < a.content.length) {
      const why = take === room ? `the message's decoded-bytes limit (${formatBytes(lim.decodedBytes)}) is spent` : `the per-attachment text limit is ${formatBytes(lim.attachmentTextBytes)}`;
      g.warnings.push(`attachment ${name} is ${a.content.length} bytes: only its first ${take} were read (stopped at byte offset ${take}): ${why}`);
    }
    if (take === 0) continue;
    if (depth === 0) budget.useDecoded(take);
    if (budget.decodedRoom() <= 0) budget.spent ??= `decoded bytes (${formatBytes(lim.decodedBytes)} per message)`;
    const text = decodeText(a.content.subarray(0, take));
    // Reports and quoted lines are named by the file itself, zipped or not; warnings by its path.
    readStructured(text, a.filename, a.contentType, g, lim.textChars);
    if (!/signature|pgp/.test(a.contentType)) keepQuoted(a.filename, name, text, g, budget);
  }
  if (depth === 0) summarizeSkipped(g, budget);
}

/** Open one zip, reading each entry before the next is inflated. */
async function gatherZip(a: ComplaintAttachment, name: string, g: Gathered, budget: MessageBudget, depth: number): Promise<void> {
  const lim = budget.limits;
  const problems: string[] = [];
  for await (const entry of zipEntries(a.content, problems, { entries: lim.zipEntries, entryBytes: lim.zipEntryBytes, budget })) {
    flushProblems(problems, name, g);
    // Entry names reach warnings and evidence references: printable, like the mail's own attachment names.
    await gatherAttachments([{ filename: printableLine(entry.name), contentType: guessType(entry.name), content: entry.content }], g, budget, depth + 1, `${name}: `);
  }
  flushProblems(problems, name, g);
  if (budget.decodedRoom() <= 0) budget.spent ??= `decoded bytes (${formatBytes(lim.decodedBytes)} per message)`;
}

function flushProblems(problems: string[], name: string, g: Gathered): void {
  g.warnings.push(...problems.map((p) => `${name}: ${p}`));
  problems.length = 0;
}

/** Keep an attachment's text for quoted log lines, as far as the message's quoted-text room goes. */
function keepQuoted(file: string, name: string, text: string, g: Gathered, budget: MessageBudget): void {
  const room = budget.quotedRoom();
  if (room <= 0) return;
  if (text.length > room) {
    g.warnings.push(`attachment ${name}: only its first ${room} characters were searched for quoted log lines: the message's quoted-text limit (${budget.limits.quotedChars} characters) is reached`);
  }
  const kept = text.length > room ? text.slice(0, room) : text;
  budget.useQuoted(kept.length);
  g.quoted.push({ file, text: kept });
}

/** One warning for everything a spent limit left unread, with a few names. */
function summarizeSkipped(g: Gathered, budget: MessageBudget): void {
  if (budget.skipped.length === 0) return;
  const names = budget.skipped.slice(0, 5).join(', ');
  const more = budget.skipped.length > 5 ? ` and ${budget.skipped.length - 5} more` : '';
  g.warnings.push(`${budget.skipped.length} attachment(s) not read because the limit on ${budget.spent} was reached: ${names}${more}`);
}

/**
 * Find ARF, X-ARF (YAML, JSON) and event CSV content in one text. Other
 * text is kept for words while `g.extraText` holds under `wordChars`
 * (only that much is ever searched).
 */
export function readStructured(text: string, name: string, contentType: string, g: Gathered, wordChars = Infinity): void {
  if (contentType === 'message/feedback-report' || isFeedbackReport(text)) {
    g.reports.push(parseFeedbackReport(text));
    return;
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const doc: unknown = JSON.parse(trimmed);
      if (isXarfJson(doc)) { g.reports.push(parseXarfJson(doc)); return; }
    } catch {
      // Not JSON after all: read as text.
    }
  }
  if (isEventCsv(text)) {
    g.reports.push(parseEventCsv(text, name));
    return;
  }
  for (const block of findXarfYamlBlocks(text)) g.reports.push(parseXarfYaml(block));
  const held = g.extraText.reduce((n, t) => n + t.length, 0);
  if (held < wordChars) g.extraText.push(text.slice(0, Math.min(EXTRA_TEXT_CHARS, wordChars - held)));
}
