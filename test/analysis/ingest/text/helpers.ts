/** Shared test plumbing for the text readers: corpus/fixture paths and a read-to-array helper. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Diagnostics } from '../../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../../analysis/events/event';
import type { LineParser, ReadSummary, TimeReference } from '../../../../analysis/ingest/reader';
import { textReader } from '../../../../analysis/ingest/text-reader';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repo root: the first ancestor holding package.json. */
export const repoRoot = ((): string => {
  let d = here;
  while (!existsSync(path.join(d, 'package.json'))) d = path.dirname(d);
  return d;
})();

/** /work/shared next to the repo (tests read the shared corpus from `../shared`). */
export const shared = path.resolve(repoRoot, '..', 'shared');
export const corpus = (...p: string[]): string => path.join(shared, 'corpus', ...p);
export const fixture = (...p: string[]): string => path.join(repoRoot, 'test', 'fixtures', ...p);

export const REF: TimeReference = { nearMs: Date.UTC(2024, 0, 15, 12), zone: 'UTC' };

export interface ReadResult {
  events: NetEvent[];
  summary: ReadSummary;
  diag: Diagnostics;
}

/** Read bytes through the parser's EvidenceReader, in small chunks to exercise line splitting. */
export async function readBytes(parser: LineParser, bytes: Uint8Array, file = 'test', ref: TimeReference = REF): Promise<ReadResult> {
  const diag = new Diagnostics();
  const events: NetEvent[] = [];
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096);
  }
  const summary = await textReader(parser).read(chunks(), { file, diag, reference: ref }, (e) => events.push(e));
  return { events, summary, diag };
}

export async function readFile(parser: LineParser, file: string, ref: TimeReference = REF): Promise<ReadResult> {
  return readBytes(parser, new Uint8Array(readFileSync(file)), path.basename(file), ref);
}

export function readText(parser: LineParser, text: string, ref: TimeReference = REF): Promise<ReadResult> {
  return readBytes(parser, new TextEncoder().encode(text), 'inline', ref);
}

/** Parse one line with a fresh context. */
export function parseOne(parser: LineParser, line: string, ref: TimeReference = REF): NetEvent | null {
  return parser.parse(line, { file: 'inline', line: 1, offset: 0 }, { diag: new Diagnostics(), reference: ref, state: {} });
}

export const iso = (tsMicros: number): string => new Date(Math.floor(tsMicros / 1000)).toISOString();
