import { throwIfAborted } from '../events/diagnostics';
import type { NetEvent } from '../events/event';
import { splitLines } from './lines';
import type { EventSink, EvidenceReader, LineContext, LineParser, ReadContext, ReadSummary } from './reader';

/** Share of bytes in `head` that look like text (printable ASCII, whitespace, UTF-8 high bytes). */
export function textLikeness(head: Uint8Array): number {
  if (head.length === 0) return 0;
  let good = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x80) good++;
  }
  return good / head.length;
}

/** The first lines of `head`, decoded leniently, without the possibly cut last line. */
export function headLines(head: Uint8Array, max = 200): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const lines = text.split(/\r?\n/);
  if (lines.length > 1) lines.pop();
  return lines.slice(0, max);
}

/**
 * How well a line parser explains the head of a file: the mean match score
 * over its non-blank, non-comment lines. Text formats are recognised from
 * content only; the file name never decides.
 */
export function sniffLines(parser: LineParser, head: Uint8Array): number {
  if (textLikeness(head) < 0.95) return 0;
  const lines = headLines(head).filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  let score = 0;
  let counted = 0;
  for (const l of lines) {
    const m = parser.match(l);
    // Comments and headers neither confirm nor refute a format.
    if (m < 0) continue;
    score += m;
    counted++;
  }
  return counted === 0 ? 0 : score / counted;
}

/** Turn a line parser into a streaming evidence reader. */
export function textReader(parser: LineParser): EvidenceReader {
  return {
    format: parser.format,
    sniff: (head) => sniffLines(parser, head),
    read: (source, ctx, sink) => readLines(parser, source, ctx, sink),
  };
}

const PROGRESS_EVERY = 1 << 20;

async function readLines(
  parser: LineParser,
  source: AsyncIterable<Uint8Array>,
  ctx: ReadContext,
  sink: EventSink,
): Promise<ReadSummary> {
  const summary: ReadSummary = {
    file: ctx.file, format: parser.format, linkTypes: [], records: 0, skipped: 0, bytes: 0, timeInferred: false,
  };
  const lctx: LineContext = { diag: ctx.diag, reference: ctx.reference, state: {} };
  let nextProgress = PROGRESS_EVERY;
  const onBytes = (n: number): void => {
    summary.bytes = n;
    if (n >= nextProgress) {
      nextProgress = n + PROGRESS_EVERY;
      ctx.onProgress?.({ file: ctx.file, bytesDone: n, bytesTotal: ctx.size, records: summary.records, stage: 'reading' });
    }
  };
  for await (const l of splitLines(source, ctx.signal, onBytes)) {
    if (l.unterminated) {
      // Read as it stands (a log need not end with a newline), but a cut in the middle of a line looks just like this.
      ctx.diag.weird({ code: 'unterminated_line', file: ctx.file, line: l.line, offset: l.offset, message: 'the file ends without a line end: its last line may have been cut' });
    }
    if (l.text.trim() === '') continue;
    let ev: NetEvent | null = null;
    try {
      ev = parser.parse(l.text, { file: ctx.file, line: l.line, offset: l.offset }, lctx);
    } catch (e) {
      // A parser bug on one odd line must not lose the rest of the file.
      ctx.diag.weird({ code: 'unparsable_line', file: ctx.file, line: l.line, offset: l.offset, message: `could not parse line: ${(e as Error).message}` });
    }
    if (!ev) {
      summary.skipped++;
      if (l.text.includes('\uFFFD')) {
        ctx.diag.weird({ code: 'binary_in_text', file: ctx.file, line: l.line, offset: l.offset, message: 'binary data in a text log; line skipped' });
      }
      continue;
    }
    summary.records++;
    if (ev.timeInferred) summary.timeInferred = true;
    if (Number.isFinite(ev.ts) && ev.ts > 0) {
      if (summary.firstTs === undefined || ev.ts < summary.firstTs) summary.firstTs = ev.ts;
      if (summary.lastTs === undefined || ev.ts > summary.lastTs) summary.lastTs = ev.ts;
    }
    sink(ev);
    if ((summary.records & 0xfff) === 0) throwIfAborted(ctx.signal);
  }
  const open = parser.pending?.(lctx);
  if (open) {
    ctx.diag.weird({ code: 'truncated_record', file: ctx.file, line: open.line, offset: open.offset, message: 'the file ends inside a record that begins here: the record was not read' });
  }
  ctx.onProgress?.({ file: ctx.file, bytesDone: summary.bytes, bytesTotal: ctx.size, records: summary.records, stage: 'done' });
  return summary;
}

/** Trim a line for the `raw` field of an event. */
export function rawExcerpt(line: string): string {
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
