import type { Complaint } from './complaint/complaint';
import { coverage, type Coverage } from './correlate/coverage';
import { EvidenceOverview } from './correlate/evidence-overview';
import { settleDateOrder } from './correlate/date-order';
import { findClockOffset, type ComplaintMoment } from './correlate/clock-offset';
import type { DetectContext, Finding } from './detect/detector';
import { detectors } from './detect/registry';
import { DetectorRun } from './detect/detector-run';
import { composeReply, type Draft, type ReplyAction } from './draft/reply';
import { internalNotes } from './draft/notes';
import { ownPayload, type NetEvent } from './events/event';
import type { ReadSummary } from './ingest/reader';
import { emptyFileWarnings, unreadEvidence } from './ingest/read-problems';
import type { Inventory } from './triage/inventory';
import { inCidrs } from './util/net';
import { notAHost } from './util/prefix-edges';
import { weigh, type ConfidenceFactor, type Verdict } from './verdict/weigh';
import { partitionByWindow } from './verdict/window';
import { reconcile } from './verdict/reconcile';
import { STATE_CLASSES } from './detect/state-classes';
import { encodeState, reviveInto } from './util/state-codec';
import { memberTest } from './util/member-test';

export const SCHEMA_VERSION = 1;
export const ENGINE_VERSION = '0.1.0';

export interface AnalysisOptions {
  /** Our networks as CIDRs; the accused are the complaint's addresses inside them. */
  ourNets?: string[];
  maskThirdParties?: boolean;
  /** Our hosts and their roles (see analysis/triage/inventory.ts). */
  inventory?: Inventory;
  /** What the operator did (filtered, isolated, customer notified): the reply states these only. */
  actions?: ReplyAction[];
}

export interface AnalysisResult {
  schemaVersion: number;
  engineVersion: string;
  verdict: Verdict;
  confidence: number;
  accused: string[];
  targets: string[];
  complaint: Omit<Complaint, 'attachments' | 'quotedEvents' | 'text'> & { quotedLines: number; attachments: string[] };
  findings: Array<Pick<Finding, 'id' | 'detector' | 'leaning' | 'strength' | 'summary' | 'explanation' | 'evidence' | 'facts'>>;
  reasons: string[];
  missing: string[];
  /** What moved the confidence (the strength of the evidence, then each adjustment); absent in results stored before it existed. */
  confidenceFactors?: ConfidenceFactor[];
  /** Findings whose evidence lies only outside the complaint's window: in the notes, not weighed, not in the reply. */
  outsideWindow?: Array<Pick<Finding, 'id' | 'summary'> & { firstTs?: number; lastTs?: number }>;
  timeOffsetSeconds: number;
  coverage: Coverage;
  evidence: ReadSummary[];
  warnings: string[];
  draft: Draft;
  notes: string[];
}

/** Which of the complaint's addresses we answer for. */
export function accusedAddresses(c: Complaint, ourNets: string[]): string[] {
  if (ourNets.length === 0) return [...c.accused];
  const all = [...new Set([...c.accused, ...c.targets])];
  // Our network and broadcast addresses are where traffic went, not hosts to answer for.
  const ours = all.filter((a) => inCidrs(a, ourNets) && notAHost(a, ourNets) === null);
  return ours.length ? ours : [...c.accused];
}

/**
 * One case's analysis. Evidence streams in file by file through `sink()`;
 * events that involve the accused or their targets are folded into the
 * detectors' accumulators and the evidence overview, and none is kept here,
 * so a capture of any size costs bounded memory.
 */
export class CaseAnalysis {
  readonly accused: string[];
  /** Whether an address is one the case is about (accused or target); with none, every event is kept. */
  private readonly keeps: ((a: string | undefined) => boolean) | undefined;
  /** The addresses `sink` looks at, for a reader to drop the rest before decoding (ReadContext.caseAddresses); undefined: all. */
  readonly addresses: readonly string[] | undefined;
  private readonly summaries: ReadSummary[] = [];
  private readonly warnings: string[] = [];
  private readonly detectorRun: DetectorRun;
  private readonly overview: EvidenceOverview;
  private readonly namedTargets: string[];

  constructor(private complaint: Complaint, private readonly opts: AnalysisOptions = {}) {
    this.accused = accusedAddresses(complaint, opts.ourNets ?? []);
    const keep = [...this.accused, ...complaint.targets];
    this.keeps = keep.length > 0 ? memberTest(keep) : undefined;
    this.addresses = keep.length > 0 ? keep : undefined;
    const accused = new Set(this.accused);
    const ourNets = opts.ourNets ?? [];
    this.namedTargets = namedTargets(complaint, accused, ourNets);
    const quoted = complaint.quotedEvents.flatMap((e) => [e.src, e.dst]).filter((a): a is string => a !== undefined);
    this.overview = new EvidenceOverview(accused, new Set(this.namedTargets), [...this.accused, ...this.namedTargets, ...quoted]);
    this.detectorRun = new DetectorRun({
      complaint,
      accused: this.accused,
      targets: this.namedTargets,
      isOurs: (addr) => accused.has(addr) || (ourNets.length > 0 && inCidrs(addr, ourNets)),
      inventory: opts.inventory,
    }, detectors);
  }

  /** Receives every event of every evidence file. */
  readonly sink = (ev: NetEvent): void => {
    if (this.keeps !== undefined && !this.keeps(ev.src) && !this.keeps(ev.dst)) return;
    // Only the events passed on get their payload copied out of the read buffer: most packets stop above.
    ownPayload(ev);
    this.detectorRun.add(ev);
    this.overview.add(ev);
  };

  /**
   * Fold in another analysis of the same case (same complaint and options)
   * that read the evidence following what this one read: a file split at
   * record boundaries, or the next file. Exact: every accumulator merges.
   */
  mergeFrom(later: CaseAnalysis): void {
    this.detectorRun.merge(later.detectorRun);
    this.overview.merge(later.overview);
  }

  /** What this analysis accumulated, as plain data for another thread (see mergeEncoded). */
  encodeState(): unknown {
    return encodeState({ run: this.detectorRun, overview: this.overview }, STATE_CLASSES);
  }

  /**
   * `mergeFrom` for a state encoded by `encodeState` in another thread. While
   * this analysis has read nothing (`empty`), the state is taken over as it
   * is: no second copy of it, no merge into nothing.
   */
  mergeEncoded(state: unknown, empty = false): void {
    if (empty) {
      reviveInto(state, { run: this.detectorRun, overview: this.overview }, STATE_CLASSES);
      return;
    }
    const fresh = new CaseAnalysis(this.complaint, this.opts);
    reviveInto(state, { run: fresh.detectorRun, overview: fresh.overview }, STATE_CLASSES);
    this.mergeFrom(fresh);
  }

  addSummary(summary: ReadSummary, warnings: string[]): void {
    this.summaries.push(summary);
    this.warnings.push(...warnings);
  }

  /** Replace the complaint (re-read with a better time reference); accused and targets stay. */
  setComplaint(c: Complaint): void {
    this.complaint = c;
  }

  /** The evidence's time span, for resolving year-less complaint times. */
  evidenceSpan(): { first?: number; last?: number } {
    let first: number | undefined;
    let last: number | undefined;
    for (const s of this.summaries) {
      if (s.firstTs !== undefined && (first === undefined || s.firstTs < first)) first = s.firstTs;
      if (s.lastTs !== undefined && (last === undefined || s.lastTs > last)) last = s.lastTs;
    }
    return { first, last };
  }

  finish(): AnalysisResult {
    const warnings = [...this.complaint.warnings, ...this.warnings, ...emptyFileWarnings(this.summaries)];
    const c = settleDateOrder(this.complaint, this.overview.any, warnings);
    const targets = this.namedTargets;
    if (targets.length === 0) {
      const peers = this.overview.topPeers(3);
      if (peers.length) warnings.push(`the complaint names no target address; the accused host sent most packets to ${peers.join(', ')} (not assumed to be the complainant)`);
    }

    const moments: ComplaintMoment[] = [
      ...c.quotedEvents.map((e) => ({ ts: e.ts, src: e.src, dst: e.dst, toleranceSeconds: 2 })),
      ...(c.quotedEvents.length ? [] : c.times.map((t) => ({ ts: t.ts, src: this.accused[0], toleranceSeconds: 120 }))),
    ].filter((m) => Number.isFinite(m.ts));
    const offset = moments.length && this.overview.firstTs !== undefined ? findClockOffset(moments, this.overview) : undefined;
    const timeOffsetSeconds = offset && offset.matched > offset.matchedAtZero ? offset.offsetSeconds : 0;
    if (offset && timeOffsetSeconds !== 0 && offset.daysOff !== 0) {
      warnings.push(`${offset.matched} of the complaint's ${offset.total} quoted lines match our evidence only ${Math.abs(offset.daysOff)} day(s) ${offset.daysOff > 0 ? 'earlier' : 'later'} than they say: their dates look wrong`);
    }
    const complaintTimes = [...c.times.map((t) => t.ts), ...c.quotedEvents.map((e) => e.ts)].filter(Number.isFinite);
    const cov = coverage(this.overview, complaintTimes, timeOffsetSeconds);

    const ours = new Set(this.accused);
    const ourNets = this.opts.ourNets ?? [];
    const ctx: DetectContext = {
      complaint: c,
      accused: this.accused,
      targets,
      // Every detector streams: each kept what it needs as the events went by (see detect/retained.ts).
      events: [],
      isOurs: (addr) => ours.has(addr) || (ourNets.length > 0 && inCidrs(addr, ourNets)),
      timeOffsetSeconds,
      inventory: this.opts.inventory,
    };
    const all = this.detectorRun.finish(ctx);
    const bounds = all.filter((f) => f.bound);
    const { kept, setAside } = reconcile(all.filter((f) => !f.bound));
    const { inside: findings, outside } = partitionByWindow(kept, complaintTimes, timeOffsetSeconds);
    const hasEvidence = this.summaries.some((s) => s.records > 0);
    const verdict = weigh(findings, cov, hasEvidence, unreadEvidence(this.summaries));
    const draft = composeReply({
      complaint: c, verdict, findings, accused: this.accused, targets, timeOffsetSeconds, coverage: cov,
      maskThirdParties: this.opts.maskThirdParties, actions: this.opts.actions,
    });
    const { attachments, quotedEvents, text: _text, ...understood } = c;
    return {
      schemaVersion: SCHEMA_VERSION,
      engineVersion: ENGINE_VERSION,
      verdict: verdict.verdict,
      confidence: verdict.confidence,
      accused: this.accused,
      targets,
      complaint: { ...understood, quotedLines: quotedEvents.length, attachments: attachments.map((a) => a.filename) },
      findings: findings.map(({ id, detector, leaning, strength, summary, explanation, evidence, facts }) => ({
        id, detector, leaning, strength: Math.round(strength * 100) / 100, summary, explanation, evidence, facts,
      })),
      reasons: verdict.reasons,
      missing: verdict.missing,
      confidenceFactors: verdict.factors,
      outsideWindow: outside.map((f) => {
        const ts = f.evidence.map((e) => e.ts).filter((t): t is number => t !== undefined);
        return { id: f.id, summary: f.summary, firstTs: Math.min(...ts), lastTs: Math.max(...ts) };
      }),
      timeOffsetSeconds,
      coverage: cov,
      evidence: this.summaries,
      warnings,
      draft,
      notes: [
        ...internalNotes(c, verdict, findings, this.accused, warnings),
        ...outside.map((f) => `Outside the complaint's window (not weighed, not in the reply): ${f.summary}`),
        ...bounds.map((f) => `Bound reached (${f.detector}): ${f.summary}`),
        ...setAside.map((x) => `Set aside (${x.finding.id}): ${x.finding.summary} Not weighed: ${x.why}.`),
      ],
    };
  }
}

/**
 * The complainant's addresses as the complaint names them, else the other ends of its quoted lines:
 * never one of ours, nor a network, broadcast or multicast address (a worm's packets to our broadcast).
 */
function namedTargets(c: Complaint, accused: ReadonlySet<string>, ourNets: string[]): string[] {
  const theirs = (a: string): boolean => !accused.has(a) && !(ourNets.length > 0 && inCidrs(a, ourNets)) && notAHost(a, ourNets, [...accused]) === null;
  const named = c.targets.filter(theirs);
  if (named.length) return named;
  return [...new Set(c.quotedEvents.flatMap((e) => [e.src, e.dst]).filter((a): a is string => !!a && theirs(a)))];
}
