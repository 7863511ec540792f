import { readEvidenceFile } from '../../services/io/read-file';
import { ownPayload, type NetEvent } from '../../analysis/events/event';

/** Every event of one evidence file, in file order, through the real readers (each with its own payload: the read buffers are reused). */
export async function loadEvents(path: string): Promise<NetEvent[]> {
  const events: NetEvent[] = [];
  const { summary } = await readEvidenceFile(path, { onEvent: (ev) => events.push(ownPayload(ev)) });
  if (summary.error) throw new Error(`${path}: ${summary.error}`);
  return events;
}
