import type { Complaint } from '../complaint/complaint';
import type { Finding } from '../detect/detector';
import { accusedAddresses } from '../pipeline';
import { weigh, type Verdict } from '../verdict/weigh';
import { AUTH_PORTS } from '../detect/brute-force';
import { COMMON_SERVICE_PORTS, triageContext } from './context';
import { unreachableSourceReason } from '../util/net';
import { runChecks } from './checks/registry';
import type { Inventory } from './inventory';
import { complaintWindow, macTracePull, pullCommands, type PullCommand, type PullWindow } from './pull-commands';
import { classifyReport, isNetworkClass, type ReportClassification } from './report-class';

export interface FirstLookOptions {
  /** Our networks (CIDR): the accused are the complaint's addresses inside them. */
  ourNets?: string[];
  /** Our hosts and what they run. */
  inventory?: Inventory;
}

/** A first look never claims more than this: it has seen no evidence. */
export const MAX_PROVISIONAL_CONFIDENCE = 0.7;
/** A leaning below this is no leaning. */
const LEAN_AT = 0.35;
/** Two leanings closer than this (both above LEAN_AT) point both ways. */
const CLOSE = 0.15;
export const PROVISIONAL_NOTE = 'provisional, pending evidence';

export interface ProvisionalVerdict {
  verdict: Verdict;
  /** 0..MAX_PROVISIONAL_CONFIDENCE. */
  confidence: number;
  /** Always true: nothing from our side has been looked at. */
  provisional: true;
  /** "provisional, pending evidence". */
  note: string;
  /** Plain-word reasons, strongest first. */
  reasons: string[];
  scores: Record<'backscatter' | 'legitimate' | 'compromise', number>;
}

/** What can be said from the complaint alone, and what to fetch to say more. */
export interface FirstLook {
  provisional: ProvisionalVerdict;
  findings: Finding[];
  /** Context the checks found (sensor thresholds, host roles): no weight, but worth reading. */
  notes: string[];
  pull: PullCommand[];
  window: PullWindow;
  accused: string[];
  targets: string[];
  warnings: string[];
  /** What kind of report this is; the provisional verdict weighs traffic, so it speaks for network abuse only. */
  report: ReportClassification;
}

/**
 * The first look at a complaint, before any capture or log: impossible
 * sources, answers from our service ports, the quoted lines' flags, the
 * reporter's sensor, the host's role; a provisional verdict weighed like the
 * full analysis' (noisy-OR of findings per leaning) but capped and labelled
 * provisional; and the exact commands to pull our evidence for the window.
 */
export function firstLook(complaint: Complaint, opts: FirstLookOptions = {}): FirstLook {
  const ourNets = opts.ourNets ?? [];
  const inventory = opts.inventory ?? [];
  const accused = accusedAddresses(complaint, ourNets);
  const peers = complaint.targets.length ? complaint.targets : complaint.quotedEvents.map((e) => e.dst).filter((d): d is string => !!d);
  // An address no one can route is not a host of ours: only the impossible-source check speaks of it.
  const possible = accused.filter((a) => !unreachableSourceReason(a, peers));
  const acc = new Set(accused);
  const named = complaint.targets.filter((t) => !acc.has(t));
  const targets = named.length ? named : [...new Set(complaint.quotedEvents.flatMap((e) => [e.src, e.dst]).filter((a): a is string => !!a && !acc.has(a)))];
  const ctx = triageContext(complaint, possible, targets, ourNets, inventory);
  const findings = runChecks(ctx);

  // The full analysis' weighing, told there is no evidence: it gives the scores and reasons
  // (and says "inconclusive" unless self-evident); the provisional leaning is decided here.
  const weighed = weigh(findings, { accusedEvents: 0, pairEvents: 0, timesCovered: 0, timesTotal: 0 }, false);
  const ranked = (['backscatter', 'legitimate', 'compromise'] as const).slice().sort((a, b) => weighed.scores[b] - weighed.scores[a]);
  const [best, second] = ranked;
  const top = weighed.scores[best];
  const runnerUp = weighed.scores[second];
  let verdict: Verdict = 'inconclusive';
  let confidence: number;
  const reasons = [...weighed.reasons];
  if (top >= LEAN_AT && !(runnerUp >= LEAN_AT && top - runnerUp < CLOSE)) {
    verdict = best;
    confidence = Math.min(MAX_PROVISIONAL_CONFIDENCE, top - 0.5 * runnerUp);
  } else {
    confidence = Math.min(MAX_PROVISIONAL_CONFIDENCE, 0.3 + 0.3 * (1 - top));
    reasons.push(top < LEAN_AT ? 'The complaint alone does not lean either way.' : `The complaint points both ways (${best} and ${second}).`);
  }
  reasons.push(`This is ${PROVISIONAL_NOTE}: no capture or log from our side has been looked at yet.`);

  const window = complaintWindow(complaint);
  const portsFrom = (ps: Array<number | undefined>): number[] => [...new Set(ps.filter((p): p is number => p !== undefined))];
  const sports = portsFrom([...ctx.fromAccused.map((e) => e.sport), ...complaint.ports.source]);
  const dports = portsFrom([...ctx.fromAccused.map((e) => e.dport), ...complaint.ports.destination]);
  // A handful of ports narrows the filter; dozens are the scan itself, and the hosts are filter enough.
  // Service ports (ours answering, or theirs attacked) are the filter; ephemeral client ports only when nothing else is known.
  const serviceSide = [
    ...sports.filter((p) => possible.some((a) => ctx.isServicePort(a, p))),
    ...dports.filter((p) => p < 1024 || COMMON_SERVICE_PORTS.has(p) || AUTH_PORTS.has(p)),
  ];
  const ports = serviceSide.length ? serviceSide : sports.length + dports.length <= 6 ? [...sports, ...dports] : [];
  const protocol = complaint.protocol;
  const bruteForcePorts = complaint.activity === 'brute-force' ? dports.filter((p) => AUTH_PORTS.has(p)) : [];
  const pull: PullCommand[] = [];
  for (const f of findings) {
    const addr = f.facts?.address;
    if (f.facts?.traceMac && typeof addr === 'string' && !pull.some((p) => p.command.includes(addr))) pull.push(macTracePull(addr));
  }
  const ours = accused.filter((a) => !findings.some((f) => f.facts?.traceMac && f.facts.address === a));
  if (ours.length) {
    pull.push(...pullCommands({ accused: ours, targets, ports: [...new Set(ports)].sort((a, b) => a - b), protocol, bruteForcePorts }, window));
  }
  const report = classifyReport(complaint);
  const notes = findings.filter((f) => f.leaning === 'context').map((f) => f.summary);
  if (!isNetworkClass(report.reportClass)) {
    const kind = report.reportClass.replace('-', ' ');
    notes.unshift(`${/^[aeio]/.test(kind) ? 'An' : 'A'} ${kind} report (${report.basis}): it is queued and answered by its type; the provisional leaning weighs traffic and speaks for network abuse only.`);
  }
  const warnings = [...complaint.warnings];
  if (window.inferred) warnings.push(`time window: ${window.basis}`);
  return {
    provisional: {
      verdict, confidence: Math.round(confidence * 100) / 100, provisional: true, note: PROVISIONAL_NOTE, reasons, scores: weighed.scores,
    },
    findings, notes, pull, window, accused, targets, warnings, report,
  };
}
