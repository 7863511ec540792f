import type { NetEvent } from '../../events/event';
import type { Activity, Complaint } from '../complaint';
import { classifyActivity, extractClaimedCount, extractProtocol, extractSensor } from '../extract';
import type { ReportFacts } from '../facts';

/** Prose beyond this is not searched for the activity, protocol or sensor words. */
const PROSE_CHARS = 512 * 1024;

export interface ClaimsInput {
  subject?: string;
  bodyText: string;
  /** The body and the attachments' text. */
  allText: string;
  reports: ReportFacts[];
  quotedEvents: NetEvent[];
  /** The formats of the quoted lines, most first ("snort", "zeek-conn"). */
  quotedFormats: string[];
}

/** What they say we did: the activity, the protocol, the count they give and the sensor that saw it. */
export function complaintClaims(c: ClaimsInput): Pick<Complaint, 'activity' | 'protocol' | 'claimedCount' | 'sensor'> {
  const subject = c.subject ?? '';
  const structuredActivity = c.reports.find((r) => r.activity !== undefined)?.activity;
  const activity: Activity = structuredActivity ?? classifyActivity(subject, c.allText.slice(0, PROSE_CHARS));
  const protocol = extractProtocol(`${subject}\n${c.bodyText.slice(0, PROSE_CHARS)}`) ?? c.reports.find((r) => r.protocol)?.protocol ?? eventProtocol(c.quotedEvents);
  const claimedCount = extractClaimedCount(`${subject}\n${c.bodyText}`) ?? c.reports.find((r) => r.count !== undefined)?.count;
  const sensor = extractSensor(`${subject}\n${c.allText.slice(0, PROSE_CHARS)}`) ?? c.reports.find((r) => r.sensor)?.sensor ?? c.quotedFormats[0];
  return { activity, protocol, claimedCount, sensor };
}

/** The protocol of the first quoted line that has one. */
export function eventProtocol(events: NetEvent[]): 'tcp' | 'udp' | 'icmp' | undefined {
  for (const ev of events) {
    if (ev.proto === 6) return 'tcp';
    if (ev.proto === 17) return 'udp';
    if (ev.proto === 1 || ev.proto === 58) return 'icmp';
  }
  return undefined;
}
