import type { NetEvent } from '../../events/event';
import type { AddressMention } from '../addresses';
import { extractPorts } from '../extract';
import { addUnique, type ReportFacts } from '../facts';

/** Quoted lines beyond this many add no ports: a pasted log's first lines say which ports it is about. */
const MAX_EVENTS = 5000;

export interface ComplaintPorts {
  source: number[];
  destination: number[];
  /** "ports 1-1024" as written. */
  ranges: ReturnType<typeof extractPorts>['ranges'];
}

/**
 * Source and destination ports: the words ("source port 53"), then
 * "address:port" mentions by the address's role, the quoted lines from the
 * accused, and the structured reports' port fields.
 */
export function complaintPorts(
  text: string, mentions: AddressMention[], events: NetEvent[], reports: ReportFacts[], accused: string[], targets: string[],
): ComplaintPorts {
  const facts = extractPorts(text);
  const source: number[] = [...facts.source];
  const destination: number[] = [...facts.destination];
  for (const m of mentions) {
    if (m.port === undefined) continue;
    if (accused.includes(m.addr)) addUnique(source, m.port);
    else if (targets.includes(m.addr) || (m.peer && accused.includes(m.peer))) addUnique(destination, m.port);
  }
  for (const ev of events.slice(0, MAX_EVENTS)) {
    if (ev.src && accused.includes(ev.src)) {
      if (ev.sport !== undefined) addUnique(source, ev.sport);
      if (ev.dport !== undefined) addUnique(destination, ev.dport);
    }
  }
  for (const r of reports) {
    for (const p of r.sourcePorts) addUnique(source, p);
    for (const p of r.destinationPorts) addUnique(destination, p);
  }
  return { source, destination, ranges: facts.ranges };
}
