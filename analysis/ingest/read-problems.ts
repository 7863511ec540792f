/**
 * What the operator must be told about the evidence as it was read: a file
 * read to its end that held nothing (a capture of 0 packets is no warning
 * of the reader's, since nothing in it is malformed), and, when files were
 * attached but none gave a single record, that this is why there is nothing
 * to weigh: "4 files were attached, none could be read", with their names,
 * never "no captures attached".
 *
 * Pure: plain data in, words out.
 */
import type { ReadSummary } from './reader';

const CAPTURES = new Set(['pcap', 'pcapng', 'nfcapd']);

/** Names listed in one line before "and N more". */
const LISTED = 6;

function listed(names: string[]): string {
  const shown = names.slice(0, LISTED);
  const rest = names.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** Why a file gave no record, in a few words. */
function whyNothing(s: ReadSummary): string {
  // The reader's whole message is in the warnings; here its first words: "not a format we read".
  if (s.error) return s.error.split(/ \(|;/)[0];
  if (CAPTURES.has(s.format)) return 'the capture holds no packets';
  return `no ${s.format} record in it${s.skipped ? ` (${s.skipped} line${s.skipped === 1 ? '' : 's'} that are not records)` : ''}`;
}

/**
 * One warning per file read without error that held no record: "empty.pcap:
 * the capture holds no packets (24 bytes, a file header only)".
 */
export function emptyFileWarnings(summaries: readonly ReadSummary[]): string[] {
  return summaries.filter((s) => s.records === 0 && !s.error).map((s) => {
    const header = CAPTURES.has(s.format) && s.bytes <= 64 ? `${s.bytes} bytes, a file header only` : `${s.bytes} bytes`;
    return `${s.file}: ${whyNothing(s)} (${header})`;
  });
}

/**
 * What is missing when no attached file gave a record, naming each and why:
 * "none of the 4 attached files could be read: a.pcap (the capture holds no
 * packets), …". Undefined when nothing was attached or something was read.
 */
export function unreadEvidence(summaries: readonly ReadSummary[]): string | undefined {
  if (summaries.length === 0 || summaries.some((s) => s.records > 0)) return undefined;
  const n = summaries.length;
  const what = n === 1 ? 'the attached file gave no packet or log line' : `none of the ${n} attached files gave a packet or log line`;
  return `${what} to weigh: ${listed(summaries.map((s) => `${s.file} (${whyNothing(s)})`))}`;
}
