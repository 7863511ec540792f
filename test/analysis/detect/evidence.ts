import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../analysis/events/event';
import { ingest } from '../../../analysis/ingest/ingest';
import type { TimeReference } from '../../../analysis/ingest/reader';
import type { DetectContext } from '../../../analysis/detect/detector';
import { makeContext } from '../../helpers/context';
import { fixturesDir } from '../../helpers/paths';

/** Time-only columns (ra's default %T.%f) are placed on the day of the reference, in UTC. */
export const REFERENCE: TimeReference = { nearMs: Date.UTC(2025, 11, 18, 12), zone: 'UTC' };

/**
 * Events of one evidence file held in memory, through the same format sniffing
 * and readers the app uses, so a detector sees real reader output (packet
 * numbers, line numbers, flow counters) and not hand-built objects.
 */
export async function readEvidence(name: string, content: Uint8Array | string, reference: TimeReference = REFERENCE): Promise<NetEvent[]> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const events: NetEvent[] = [];
  const diag = new Diagnostics();
  async function* chunks(): AsyncIterable<Uint8Array> { yield bytes; }
  const summary = await ingest(chunks(), { file: name, diag, reference }, (e) => events.push(e));
  if (summary.error) throw new Error(`${name}: ${summary.error}`);
  if (summary.records === 0) throw new Error(`${name}: no records read (format ${summary.format})`);
  return events;
}

/** A fixture under test/fixtures, read as above; references name it by its base name. */
export function readFixture(rel: string): Promise<NetEvent[]> {
  return readEvidence(basename(rel), new Uint8Array(readFileSync(join(fixturesDir, rel))));
}

/** A detector context over evidence read with `readEvidence`. */
export async function evidenceContext(name: string, content: Uint8Array | string, accused: string[], targets: string[] = []): Promise<DetectContext> {
  return makeContext({ events: await readEvidence(name, content), accused, targets });
}
