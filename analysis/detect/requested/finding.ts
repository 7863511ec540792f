import type { EvidenceRef, Finding } from '../detector';
import { excerpt, formatTs, ref, sample } from '../excerpt';
import { listSome, sortedNums, strength } from '../common';
import { ANSWER_WINDOW_US } from './kinds';
import type { Answered } from './match';
import type { KeptRequest } from './peers';

/** Requests and answers a finding quotes: the request that caused them first, then our packets. */
const QUOTED_REQUESTS = 3;
const QUOTED_ANSWERS = 8;

/** A request as the reply quotes it: the packet, and the command it carried when there was one. */
export function requestExcerpt(r: KeptRequest): string {
  return r.text ? `${excerpt(r.ev)} "${r.text}"` : excerpt(r.ev);
}

function requestRef(r: KeptRequest): EvidenceRef {
  return { ...ref(r.ev), excerpt: requestExcerpt(r) };
}

const s = (n: number, word: string, plural = `${word}s`): string => `${n} ${n === 1 ? word : plural}`;

/** `tail` ends the summary: what of ours answers nothing, when something does. */
function wording(a: Answered, first: KeptRequest, tail: string): { summary: string; explanation: string } {
  const n = a.answers.length;
  switch (a.kind) {
    case 'ftp-active-data': {
      const from = sortedNums(new Set(a.answers.map((o) => o.ev.sport!)));
      const to = sortedNums(new Set(a.answers.map((o) => o.ev.dport!)));
      return {
        summary: `${a.peer} asked our FTP server ${a.ours} for active-mode data connections ("${first.text}" at ${formatTs(first.ts)} UTC${a.requests.length > 1 ? `, ${a.requests.length} such commands in all` : ''}): `
          + `our ${s(n, 'connection')} from port ${listSome(from, 5)} to ${a.peer} went to the port${to.length === 1 ? '' : 's'} ${listSome(to, 10)} those commands named${tail}.`,
        explanation: 'In active-mode FTP the client names an address and port on its control connection (PORT, RFC 959 §4.1.2; EPRT, RFC 2428) '
          + 'and the server opens the data connection to it, from port 20 (RFC 959 §3.2). Each of our connections follows a command of theirs '
          + `by at most ${ANSWER_WINDOW_US[a.kind] / 1e6} s and goes to the port it named: their FTP client asked for it.`,
      };
    }
    case 'ident-callback': {
      const services = sortedNums(new Set(a.requests.map((r) => r.ev.dport!)));
      return {
        summary: `${a.ours} connected to ${a.peer} port 113 ${s(n, 'time')}, each within ${ANSWER_WINDOW_US[a.kind] / 1e6} s of a connection ${a.peer} opened to our port ${listSome(services, 5)} `
          + `(first at ${formatTs(first.ts)} UTC): ident lookups (RFC 1413) of who opened it, not a scan${tail}.`,
        explanation: 'Mail, IRC and FTP servers ask the identification service (RFC 1413, TCP port 113) of a host that connects to them '
          + 'which user opened the connection. The query goes to the host that connected, right after it connected: these connections are that question.',
      };
    }
    default: {
      const errors = a.answers.filter((o) => o.shape === 'traceroute-replies').length;
      const echoes = n - errors;
      const what = [errors ? s(errors, 'ICMP error') + ' (time exceeded / port unreachable)' : '', echoes ? s(echoes, 'echo reply', 'echo replies') : ''].filter(Boolean).join(' and ');
      return {
        summary: `${a.ours} sent ${a.peer} ${what}, each answering a traceroute probe ${a.peer} sent `
          + `(first at ${formatTs(first.ts)} UTC)${errors ? ' and quoting it' : ''}: diagnostics they ran, not an attack${tail}.`,
        explanation: 'Traceroute and mtr send probes with rising TTL (or to UDP ports 33434 and up): every router where the TTL runs out answers '
          + 'with ICMP time exceeded, the destination with port unreachable or, to an echo request, an echo reply (RFC 792, RFC 1812 §4.3.2.1). '
          + 'The errors quote the probe they answer, whose source is the address that ran the traceroute.',
      };
    }
  }
}

/** One finding per (kind, our host, their host): what they asked, quoted, and our packets that answered it. */
export function answerFinding(a: Answered & { shapeUnmatched: number; complete: boolean }): Finding {
  const first = a.requests[0];
  const checked = a.answers.length + a.unmatched + a.unchecked;
  const share = a.answers.length / checked;
  const rest = a.unmatched + a.unchecked;
  const tail = rest ? `; ${s(rest, 'other packet')} of ours to ${a.peer} ${rest === 1 ? 'answers' : 'answer'} no request of theirs${a.unchecked ? ` or ${a.unchecked === 1 ? 'was' : 'were'} not checked` : ''}` : '';
  const { summary, explanation } = wording(a, first, tail);
  const reqs = sample(a.requests, QUOTED_REQUESTS);
  const answers = sample(a.answers, QUOTED_ANSWERS);
  const evidence = [...reqs.map(requestRef), ...answers.map((o) => ref(o.ev))].sort((x, y) => (x.ts ?? 0) - (y.ts ?? 0));
  return {
    id: 'answer-to-their-request',
    detector: 'requested-by-them',
    leaning: 'legitimate',
    // Every packet of ours to them answering a request of theirs is as strong as packet evidence gets; each unexplained one weakens it.
    strength: strength(0.25 + 0.55 * share),
    summary,
    explanation,
    evidence,
    facts: {
      kind: a.kind,
      host: a.ours,
      peer: a.peer,
      trigger: requestExcerpt(first),
      triggerTs: first.ts,
      count: a.answers.length,
      requests: a.requests.length,
      unmatched: a.unmatched,
      unchecked: a.unchecked,
      shapeUnmatched: a.shapeUnmatched,
      complete: a.complete,
    },
  };
}
