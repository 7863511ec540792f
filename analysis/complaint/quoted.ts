import { Diagnostics } from '../events/diagnostics';
import type { NetEvent } from '../events/event';
import type { LineContext, LineParser, TimeReference } from '../ingest/reader';
import { DEFAULT_LIMITS, type FileLimits } from '../limits';
import { referenceZone } from '../util/time';
import { pastYear } from './times';

/** A text the complaint carries: its body or a text attachment. */
export interface QuotedSource {
  file: string;
  text: string;
}

export interface QuotedResult {
  events: NetEvent[];
  warnings: string[];
  /** Formats of the lines recognised, e.g. "snort". */
  formats: string[];
}

/** Lines below this confidence are prose, not log lines. */
const MIN_MATCH = 0.5;

/**
 * Log lines quoted in a complaint, read by the same line parsers as
 * evidence files, so "their" snort line and "our" capture are one model.
 * Each line goes to the parser that claims it most confidently; year- and
 * zone-less times resolve against `reference` (the mail's Date: in the
 * complainant's zone).
 */
export function readQuotedLines(sources: QuotedSource[], parsers: readonly LineParser[], reference: TimeReference, limits: FileLimits = DEFAULT_LIMITS.file): QuotedResult {
  const { records: maxEvents, lineLength: maxLine } = limits;
  const events: NetEvent[] = [];
  const formats = new Set<string>();
  const diag = new Diagnostics();
  const encoder = new TextEncoder();
  if (parsers.length === 0) return { events, warnings: [], formats: [] };
  for (const src of sources) {
    const contexts = new Map<LineParser, LineContext>();
    let offset = 0;
    let lineNo = 0;
    let current: LineParser | null = null;
    for (const raw of linesOf(src.text)) {
      lineNo++;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const at = { file: src.file, line: lineNo, offset };
      offset += /^[\x00-\x7f]*$/.test(raw) ? raw.length + 1 : encoder.encode(raw).length + 1;
      if (events.length >= maxEvents) break;
      // Quoted lines come indented or behind "> "; the parsers want the line as the tool wrote it.
      const text = line.replace(/^\s*(?:>\s?)+/, '').trimEnd();
      if (text.trim() === '' || text.length > maxLine) {
        // A blank line may end a multi-line record (Snort alert full): let the current parser see it.
        if (current && text.trim() === '') tryParse(current, text, at, contexts, diag, reference, events, formats);
        continue;
      }
      let best: LineParser | null = null;
      let bestScore = MIN_MATCH;
      for (const p of parsers) {
        let s = 0;
        try { s = p.match(text); } catch { s = 0; }
        if (s > bestScore) { best = p; bestScore = s; }
      }
      // Continuation lines of a multi-line record belong to the parser that began it.
      const parser: LineParser | null = best ?? current;
      if (!parser) continue;
      const ev = tryParse(parser, text, at, contexts, diag, reference, events, formats);
      current = ev || best ? parser : null;
    }
  }
  // Parsers pick the year closest to the reference; a complaint quotes the past.
  const zone = referenceZone(reference);
  for (const ev of events) if (ev.timeInferred) ev.ts = pastYear(ev.ts, reference.nearMs, zone);
  const warnings = diag.messages().slice(0, 10).map((m) => `quoted log line: ${m}`);
  if (events.length >= maxEvents) warnings.push(`only the first ${maxEvents} quoted log lines were read as events (limit ${maxEvents} records)`);
  return { events, warnings, formats: [...formats] };
}

/** The lines of a text one at a time: a text of millions of short lines is never an array of millions of strings. */
function* linesOf(text: string): Generator<string> {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) { yield text.slice(start); return; }
    yield text.slice(start, nl);
    start = nl + 1;
  }
}

function tryParse(
  parser: LineParser,
  text: string,
  at: { file: string; line: number; offset: number },
  contexts: Map<LineParser, LineContext>,
  diag: Diagnostics,
  reference: TimeReference,
  events: NetEvent[],
  formats: Set<string>,
): boolean {
  let ctx = contexts.get(parser);
  if (!ctx) { ctx = { diag, reference, state: {} }; contexts.set(parser, ctx); }
  try {
    const ev = parser.parse(text, at, ctx);
    if (ev && Number.isFinite(ev.ts)) {
      events.push(ev);
      formats.add(parser.format);
      return true;
    }
  } catch (err) {
    diag.weird({ code: 'quoted_line_error', file: at.file, line: at.line, message: err instanceof Error ? err.message : String(err) });
  }
  return false;
}
