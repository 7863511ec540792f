import type { Complaint } from '../../analysis/complaint/complaint';
import type { NetEvent } from '../../analysis/events/event';
import type { DetectContext } from '../../analysis/detect/detector';

/** A complaint with nothing in it but the addresses: enough for detectors. */
export function minimalComplaint(accused: string[], targets: string[] = [], extra: Partial<Complaint> = {}): Complaint {
  return {
    format: 'text', reporter: {}, accused, targets, ports: { source: [], destination: [] }, activity: 'port-scan',
    times: [], zone: 'UTC', quotedEvents: [], text: '', attachments: [], warnings: [], ...extra,
  };
}

export interface MakeContextOptions {
  events: NetEvent[];
  accused: string[];
  targets?: string[];
  complaint?: Partial<Complaint>;
  /** Our networks as address prefixes ("198.51.100."); default: the accused addresses only. */
  ourPrefixes?: string[];
  timeOffsetSeconds?: number;
}

/** A DetectContext as the pipeline builds it: events in time order, the named targets. */
export function makeContext(opts: MakeContextOptions): DetectContext {
  const events = [...opts.events].sort((a, b) => a.ts - b.ts);
  const accused = new Set(opts.accused);
  const prefixes = opts.ourPrefixes ?? [];
  const targets = opts.targets ?? [];
  return {
    complaint: minimalComplaint(opts.accused, targets, opts.complaint),
    accused: opts.accused,
    targets,
    events,
    isOurs: (a: string) => accused.has(a) || prefixes.some((p) => a.startsWith(p)),
    timeOffsetSeconds: opts.timeOffsetSeconds ?? 0,
  };
}
