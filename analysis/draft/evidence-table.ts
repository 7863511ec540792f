import type { Zone } from 'luxon';
import type { EvidenceRef } from '../detect/detector';
import { formatInZone } from '../util/time';
import { utcStamp } from '../util/utc';

/** Leading "YYYY-MM-DD HH:MM:SS(.ffffff)" of an excerpt, which the table shows in its own columns. */
const LEADING_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? /;

function where(r: EvidenceRef): string {
  if (r.packet !== undefined) return `${r.file} packet ${r.packet}`;
  if (r.line !== undefined) return `${r.file} line ${r.line}`;
  return `${r.file} offset ${r.offset}`;
}

/**
 * The evidence as a plain-text table: UTC, the complainant's zone, the
 * record, and where it is (file and packet or line number), so the other
 * side can find each packet in its own logs.
 */
export function evidenceTable(refs: EvidenceRef[], zone: Zone, zoneIsUtc: boolean, offsetSeconds = 0): string {
  // With a clock offset the second column is what the complainant's own log says for the same packet.
  const second = offsetSeconds !== 0 || !zoneIsUtc;
  const rows = refs.map((r) => {
    const utc = r.ts !== undefined ? utcStamp(r.ts, 'us') : '';
    const local = r.ts !== undefined && second
      ? (offsetSeconds !== 0 ? `${utcStamp(r.ts + offsetSeconds * 1e6, 'us')} (${offsetSeconds > 0 ? '+' : ''}${offsetSeconds / 3600} h)` : formatInZone(r.ts, zone))
      : '';
    return { utc, local, record: r.excerpt.replace(LEADING_TIME, ''), where: where(r) };
  });
  const lines = rows.map((r) => (!second
    ? `  ${r.utc} UTC | ${r.record} | ${r.where}`
    : `  ${r.utc} UTC | ${r.local} | ${r.record} | ${r.where}`));
  return lines.join('\n');
}
