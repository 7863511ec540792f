import { EvidenceSummaryCollector, type Conversation, type Talker } from '../analysis/events/evidence-summary';
import type { TimeReference } from '../analysis/ingest/reader';
import { formatUtc } from '../analysis/util/utc';
import { readEvidenceFile } from './io/read-file';

export interface FileReport {
  file: string;
  format: string;
  linkTypes: string[];
  records: number;
  skipped: number;
  bytes: number;
  firstTs?: string;
  lastTs?: string;
  timeInferred: boolean;
  topTalkers: Talker[];
  topConversations: Conversation[];
  warnings: string[];
  error?: string;
}

/** What one evidence file holds: format, counts, span, talkers, conversations, warnings (`abuse-desk inspect`, the app's file list). */
export async function inspectFile(path: string, ref: TimeReference = { nearMs: Date.now(), zone: 'UTC' }): Promise<FileReport> {
  const collector = new EvidenceSummaryCollector();
  const { summary, diag } = await readEvidenceFile(path, { onEvent: (ev) => collector.add(ev), reference: ref });
  return {
    file: path,
    format: summary.format,
    linkTypes: summary.linkTypes,
    records: summary.records,
    skipped: summary.skipped,
    bytes: summary.bytes,
    firstTs: summary.firstTs !== undefined ? formatUtc(summary.firstTs, true) : undefined,
    lastTs: summary.lastTs !== undefined ? formatUtc(summary.lastTs, true) : undefined,
    timeInferred: summary.timeInferred,
    topTalkers: collector.topTalkers(),
    topConversations: collector.topConversations(),
    warnings: [
      ...diag.messages(),
      ...(collector.flows.overflow ? [`${collector.flows.overflow} packets belong to conversations past the first ${collector.flows.size} and are not in the conversation table`] : []),
    ],
    error: summary.error,
  };
}
