import type { NetEvent } from '../../events/event';
import type { Finding } from '../detector';
import { ref, sample } from '../excerpt';
import { rate, seconds, strength } from '../common';
import { eventOrder } from '../stream-evidence';
import { AUTH_PORTS, MIN_FAILURES, SIMILAR_BYTES_SPREAD, Tally, chosenTally, type Service } from './tally';

/** How complete the accumulator's view was: added to the facts of every finding when not. */
export interface Limits {
  /** Sessions finished early because the open-session table was full. */
  sessionTableOverflow: number;
  /** Sessions to services beyond the service limit, not counted. */
  untrackedSessions: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function limitFacts(l: Limits): Record<string, number> {
  const out: Record<string, number> = {};
  if (l.sessionTableOverflow) out.sessionTableOverflow = l.sessionTableOverflow;
  if (l.untrackedSessions) out.untrackedSessions = l.untrackedSessions;
  return out;
}

/** Facts on bytes per session, when the sessions carried any; `similar` when they were all about one size. */
function bytesFacts(t: Tally): { facts: Record<string, number>; similar: boolean } {
  const spread = t.bytesSpread();
  if (spread === undefined) return { facts: {}, similar: false };
  return {
    facts: { medianBytesPerSession: Math.round(t.bytes.median()), bytesPerSessionSpread: round2(spread) },
    similar: spread <= SIMILAR_BYTES_SPREAD,
  };
}

const SIMILAR_TEXT = ' The sessions were all about the same size in bytes (interquartile range within 10% of the median), '
  + 'as when one program repeats one attempt with another password.';

function evidence(starts: NetEvent[], extra: NetEvent[]): ReturnType<typeof ref>[] {
  const evs = [...sample(starts, extra.length ? 8 : 12), ...extra.slice(0, 4)];
  return evs.sort(eventOrder).map(ref);
}

/** How long the attempts took: seconds, or packets where the records give no durations. */
function rhythm(t: Tally): { text: string; facts: Record<string, number | boolean> } {
  const facts: Record<string, number | boolean> = {};
  let text: string;
  if (t.durationsKnown) {
    const med = t.durations.median();
    facts.medianSessionSeconds = round2(med);
    text = `median ${Math.round(med * 10) / 10} s each`;
    if (!t.durations.exact) facts.medianEstimated = true;
  } else {
    const med = t.packets.median();
    text = `median ${Math.round(med)} packets each; the records give no durations`;
    facts.sessionDurationsKnown = false;
    if (!t.packets.exact) facts.medianEstimated = true;
  }
  if (t.attempts > 0) facts.medianSessionPackets = Math.round(t.packets.median());
  return { text, facts };
}

export function serviceFinding(svc: Service, limits: Limits): Finding {
  const { tally: t, fromFlows } = chosenTally(svc);
  const name = AUTH_PORTS.get(svc.port)!;
  const span = seconds(t.firstTs, t.lastTs);
  const kinds = [...svc.failureKinds].sort();
  const failText = svc.failures ? ` The server answered "login failed" ${svc.failures} times (${kinds.join(', ')}).` : '';
  const r = rhythm(t);
  const bytes = bytesFacts(t);
  const flowFacts: Record<string, boolean> = fromFlows ? { fromFlowRecords: true } : {};
  return {
    id: 'brute-force-sessions', detector: 'brute-force', leaning: 'compromise',
    strength: strength((svc.failures >= MIN_FAILURES ? 0.8 : 0.6) + Math.min(0.15, t.attempts / 200) + (bytes.similar ? 0.05 : 0)),
    summary: `${svc.src} opened ${t.sessions} ${name} sessions${fromFlows ? ' (flow records)' : ''} to ${svc.dst}:${svc.port} in ${span} s`
      + ` (${r.text})${svc.failures ? `, ${svc.failures} refused logins` : ''}.`,
    explanation: `Short, repeated sessions to a login service are how password guessing looks on the wire: each session is one or a few `
      + `attempts, then the server drops the connection.${failText}${bytes.similar ? SIMILAR_TEXT : ''}`
      + (svc.port === 22 || svc.port === 3389 ? ' The protocol is encrypted, so the capture cannot show the passwords, only the rhythm.' : ''),
    evidence: evidence(t.starts.events(), svc.failureFirst),
    facts: {
      source: svc.src, target: svc.dst, port: svc.port, service: name, sessions: t.sessions, established: t.attempts,
      ...r.facts, loginFailures: svc.failures, failureKinds: kinds,
      spanSeconds: span, sessionsPerMinute: round2(rate(t.sessions, t.firstTs, t.lastTs) * 60),
      ...bytes.facts, ...flowFacts, ...limitFacts(limits),
    },
  };
}

/** Services of one source and port, none a finding alone, each with at least two short attempts. */
export function sprayFinding(list: Service[], limits: Limits): Finding {
  const { src, port } = list[0];
  const name = AUTH_PORTS.get(port)!;
  const tallies = list.map((s) => chosenTally(s));
  const total = tallies.reduce((n, c) => n + c.tally.attempts, 0);
  const starts = tallies.flatMap((c) => c.tally.starts.events()).sort(eventOrder);
  // Bytes per session over all targets: one program's attempts are the same size everywhere.
  const all = new Tally();
  for (const c of tallies) all.merge(c.tally);
  const bytes = bytesFacts(all);
  const fromFlows = tallies.some((c) => c.fromFlows);
  return {
    id: 'brute-force-spray', detector: 'brute-force', leaning: 'compromise',
    strength: strength(0.55 + Math.min(0.25, list.length / 200) + (bytes.similar ? 0.05 : 0)),
    summary: `${src} opened ${total} short ${name} sessions${fromFlows ? ' (flow records)' : ''} to ${list.length} different hosts on port ${port}.`,
    explanation: 'Trying the same login service on many hosts with a couple of short sessions each is credential spraying (Mirai and its kin do it on telnet and SSH).'
      + (bytes.similar ? SIMILAR_TEXT : ''),
    evidence: sample(starts, 12).map(ref),
    facts: {
      source: src, port, service: name, targets: list.length, sessions: total, targetSample: list.slice(0, 20).map((s) => s.dst),
      ...bytes.facts, ...(fromFlows ? { fromFlowRecords: true } as Record<string, boolean> : {}), ...limitFacts(limits),
    },
  };
}
