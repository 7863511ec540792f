import { readEvidenceFile } from '../../services/io/read-file';
import type { NetEvent } from '../../analysis/events/event';

/** Every event of one evidence file, in file order, through the real readers. */
export async function loadEvents(path: string): Promise<NetEvent[]> {
  const events: NetEvent[] = [];
  const { summary } = await readEvidenceFile(path, { onEvent: (ev) => events.push(ev) });
  if (summary.error) throw new Error(`${path}: ${summary.error}`);
  return events;
}
