import type { TimeReference } from '../../analysis/ingest/reader';
import { UsageError } from '../usage';
import { parseZone } from '../../analysis/util/time';

/** The reference for year-less and zone-less log times, from --near and --zone. */
export function timeReference(near: string | undefined, zone: string | undefined): TimeReference {
  let nearMs = Date.now();
  if (near !== undefined) {
    nearMs = Date.parse(near);
    if (Number.isNaN(nearMs)) throw new UsageError(`--near: cannot read "${near}" as a date`);
  }
  if (zone !== undefined && !parseZone(zone)) throw new UsageError(`--zone: unknown zone "${zone}" (use e.g. UTC, CET, UTC+1, Europe/Berlin)`);
  return { nearMs, zone: zone ?? 'UTC' };
}
