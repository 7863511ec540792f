import type { Zone } from 'luxon';
import type { Complaint } from '../complaint/complaint';
import type { Coverage } from '../correlate/coverage';
import type { EvidenceRef, Finding } from '../detect/detector';
import { printableLine } from '../util/printable';
import { formatInZone, parseZone, zoneLabel } from '../util/time';
import { formatUtc } from '../util/utc';
import type { VerdictResult } from '../verdict/weigh';
import { evidenceTable } from './evidence-table';
import { maskThirdParties } from './mask';
import { reportLetter } from './report-letter';
import { sensorParagraph } from './sensor';
import { complaintWhen } from './when';

export interface Draft {
  subject: string;
  body: string;
}

/** What the operator did about the case; the reply states these and nothing else. */
export type ReplyAction = 'filtered' | 'isolated' | 'customer-notified';
export const REPLY_ACTIONS: readonly ReplyAction[] = ['filtered', 'isolated', 'customer-notified'];

export interface DraftInput {
  complaint: Complaint;
  verdict: VerdictResult;
  findings: Finding[];
  accused: string[];
  targets: string[];
  timeOffsetSeconds: number;
  coverage: Coverage;
  /** Mask third parties' addresses (default on). */
  maskThirdParties?: boolean;
  /** What we did, as the operator chose it (default none: the reply then says nothing about actions). */
  actions?: ReplyAction[];
}

const MAX_TABLE_ROWS = 14;
/** Findings summarised in the letter itself; all of them (up to four) are explained in the appendix. */
const BODY_FINDINGS = 2;
const APPENDIX_FINDINGS = 4;

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function activityWords(c: Complaint): string {
  switch (c.activity) {
    case 'port-scan': return 'a port scan';
    case 'sweep': return 'an address sweep';
    case 'flood': return 'a flood / denial of service';
    case 'brute-force': return 'login (brute-force) attempts';
    case 'worm': return 'worm or malware activity';
    case 'spam': return 'spam';
    default: return 'the activity you reported';
  }
}

/** What the decisive findings are about: the wording of the reply follows it. */
type Kind = 'impossible' | 'tcp-backscatter' | 'icmp-backscatter' | 'backscatter' | 'udp-service' | 'replies' | 'compromise' | 'inconclusive';

function kindOf(v: VerdictResult['verdict'], decisive: Finding[]): Kind {
  const has = (id: string): boolean => decisive.some((f) => f.id === id);
  if (v === 'backscatter') {
    if (has('impossible-source')) return 'impossible';
    if (has('backscatter-to-complainant') || has('inbound-syn-flood')) return 'tcp-backscatter';
    if (has('icmp-backscatter')) return 'icmp-backscatter';
    return 'backscatter';
  }
  if (v === 'legitimate') {
    const served = decisive.find((f) => f.id === 'server-answering-clients')?.facts;
    return served && served.tcpSessions === 0 && Number(served.udpSessions) > 0 ? 'udp-service' : 'replies';
  }
  return v;
}

function headline(kind: Kind, accused: string, c: Complaint): string {
  const what = activityWords(c);
  switch (kind) {
    case 'impossible':
      return `The packets you reported from ${accused} did not come from our network, nor from any other across the Internet: ${accused} cannot be routed, so they were produced on your own network segment.`;
    case 'icmp-backscatter':
      return `Our analysis shows that the packets you received from ${accused} were not ${what} by our host but backscatter: ICMP error messages our host sent back to packets that carried your address as a forged source.`;
    case 'tcp-backscatter':
    case 'backscatter':
      return `Our analysis shows that the packets you received from ${accused} were not ${what} by our host but backscatter: our host's replies to packets that carried your address as a forged source.`;
    case 'udp-service':
      return `Our analysis shows that the traffic you reported from ${accused} was legitimate: our service was answering requests that came from your address, not running ${what}.`;
    case 'replies':
      return `Our analysis shows that the traffic you reported from ${accused} was legitimate: our host was answering connections that your own network opened, not running ${what}.`;
    case 'compromise':
      return `Our analysis confirms that ${accused} itself originated the traffic you reported (${what}).`;
    default:
      return `We have looked into your report about ${accused}, but the information we have does not yet allow us to confirm or rule out ${what}.`;
  }
}

/** Advice and requests that follow from the verdict: what the complainant can do, never what we did. */
function advice(kind: Kind, findings: Finding[], accused: string, target: string | undefined): string[] {
  switch (kind) {
    case 'impossible':
      return ['These packets did not come from our network: the machine that sent them is on your segment, and the MAC address above leads to it.'];
    case 'tcp-backscatter':
      return [`There is no scan to block: the ${answerKinds(findings)} answers stop when the forged SYNs stop.`];
    case 'icmp-backscatter':
      return ['There is no scan to block: the ICMP errors stop when the packets forged with your address stop.'];
    case 'udp-service':
      return [`If ${target ?? 'your host'} did not send these requests, its address was forged to use our open service as a reflector: please tell us, with the times you saw.`];
    case 'replies':
      return ['You may want to whitelist our server in your IDS, or raise its port-scan threshold for replies from well-known service ports.'];
    case 'compromise':
      return [`Please tell us if you see further traffic from ${accused} after this message.`];
    default:
      return [];
  }
}

/** "We have isolated 198.51.100.90 from the network and notified our customer.": only what the operator chose. */
function actionsDone(actions: ReplyAction[], kind: Kind, accused: string): string | undefined {
  const backscatter = kind === 'tcp-backscatter' || kind === 'icmp-backscatter' || kind === 'backscatter';
  // The address is named once; later phrases refer back to it.
  const done = REPLY_ACTIONS.filter((a) => actions.includes(a)).map((a, i) => {
    const host = i === 0 ? accused : 'it';
    switch (a) {
      case 'filtered':
        if (kind === 'compromise') return `filtered the traffic from ${accused} at our border`;
        if (backscatter) return `filtered the flood toward ${accused} at our border`;
        return 'filtered this traffic at our border';
      case 'isolated':
        return `isolated ${host} from the network`;
      default:
        return i === 0 ? `notified our customer using ${accused}` : 'notified our customer';
    }
  });
  return done.length ? `We have ${joinList(done)}.` : undefined;
}

/** The kinds of answer the backscatter findings saw ("SYN-ACK", "RST-ACK"), else both TCP answers to a SYN. */
function answerKinds(findings: Finding[]): string {
  const kinds = new Set<string>();
  for (const f of findings) {
    const flags = f.facts?.flags;
    if (Array.isArray(flags)) for (const k of flags) kinds.add(String(k));
  }
  return kinds.size ? [...kinds].join('/') : 'SYN-ACK/RST';
}

function requestsFor(v: VerdictResult): string[] {
  if (v.verdict !== 'inconclusive') return [];
  return [
    'To continue, please send us:',
    '  - the exact times of the activity, with their time zone (or in UTC);',
    '  - the complete log lines or alerts, not a summary;',
    '  - packet headers if you have them: source and destination addresses and ports, TCP flags, and a capture (pcap) if possible;',
    '  - the address(es) on your side that received the traffic.',
  ];
}

/**
 * The reply an experienced abuse handler would send: a short letter (the
 * verdict, the facts that carry it, why their sensor fired, what we did if
 * anything, what they can do), then the evidence as an appendix after the
 * signature: how each finding reads, and the records that prove it.
 */
export function composeReply(input: DraftInput): Draft {
  const { complaint: c, verdict: v } = input;
  const accused = input.accused[0] ?? c.accused[0] ?? 'the reported address';
  const zone = parseZone(c.zone) ?? parseZone('UTC')!;
  const zoneIsUtc = zone.offset(Date.now()) === 0 && /^(UTC|GMT|Z)?$/i.test(zoneLabel(zone));
  // A mail header: the complainant's Subject without control or bidi characters (a CR/LF would start a new header).
  const subject = printableLine(c.subject ? (/^re:/i.test(c.subject) ? c.subject : `Re: ${c.subject}`) : `Re: abuse report about ${accused}`);

  const decisive = input.findings
    .filter((f) => f.leaning === v.verdict)
    .sort((a, b) => b.strength - a.strength);
  const kind = kindOf(v.verdict, decisive);
  // Phishing, malware, spam, an open service or a copyright notice is answered by its type, not as network traffic.
  const report = reportLetter(c, v.verdict, input.accused.length ? input.accused : [accused]);
  const lines: string[] = [];
  lines.push(c.reporter.name ? `Dear ${c.reporter.name},` : 'Hello,');
  lines.push('');
  const when = complaintWhen(c.times);
  if (report) lines.push(`Thank you for your report about ${report.what}${when ? `, seen ${/ to /.test(when) ? 'from' : 'on'} ${when}` : ''}.`);
  else lines.push(`Thank you for your report about ${joinList(input.accused.length ? input.accused : [accused])}${when ? ` ${/ to /.test(when) ? 'from' : 'on'} ${when}` : ''}.`);
  lines.push('');
  lines.push(report ? report.paragraphs[0] : headline(kind, accused, c));
  if (v.verdict === 'compromise' && !report) lines.push(originNote(input.findings));
  lines.push('');

  const inBody = decisive.slice(0, BODY_FINDINGS);
  for (const f of inBody) {
    lines.push(`- ${f.summary}`);
    // The way to the sender of packets no one can route is the point of the reply, not a detail.
    if (f.id === 'impossible-source' && f.explanation) lines.push(`  ${f.explanation}`);
  }
  if (inBody.length) lines.push('');
  if (v.conflicting) {
    const other = input.findings.filter((f) => f.leaning !== v.verdict && f.leaning !== 'context').sort((a, b) => b.strength - a.strength)[0];
    if (other) {
      lines.push(`Part of our evidence points the other way (${other.summary.replace(/\.$/, '')}), so this conclusion is less certain than the rest of this message suggests.`);
      lines.push('');
    }
  }
  const sensor = kind === 'impossible' || report ? '' : sensorParagraph(c, v.verdict, input.findings, accused);
  if (sensor) {
    lines.push(sensor);
    lines.push('');
  }
  if (input.timeOffsetSeconds !== 0) {
    lines.push(offsetSentence(input.timeOffsetSeconds));
    lines.push('');
  }
  if (v.verdict === 'inconclusive' && !report) {
    if (v.missing.length) lines.push(replyForMissing(v.missing));
    // The span our records cover is why we cannot answer yet: it belongs in the letter.
    if (input.coverage.firstTs !== undefined) lines.push(coverageSentence(input.coverage, zone, zoneIsUtc));
    if (v.missing.length || input.coverage.firstTs !== undefined) lines.push('');
  }
  const done = actionsDone(input.actions ?? [], kind, accused);
  if (report) {
    for (const p of [...(done ? [done] : []), ...report.paragraphs.slice(1)]) lines.push(p, '');
  } else {
    const next = [...(done ? [done] : []), ...advice(kind, decisive, accused, input.targets[0] ?? c.targets[0]), ...requestsFor(v)];
    if (next.length) {
      lines.push(...next);
      lines.push('');
    }
  }
  lines.push('Best regards,');
  lines.push('Abuse desk');

  const appendix = appendixLines(input, decisive, inBody, zone, zoneIsUtc);
  if (appendix.length) lines.push('', '', 'Evidence (appendix)', '', ...appendix);

  let body = lines.join('\n');
  if (input.maskThirdParties !== false) {
    const keep = [...input.accused, ...input.targets, ...c.accused, ...c.targets];
    body = maskThirdParties(body, keep);
  }
  return { subject, body };
}

function coverageSentence(cov: Coverage, zone: Zone, zoneIsUtc: boolean): string {
  return `Our records cover ${formatUtc(cov.firstTs!)} to ${formatUtc(cov.lastTs!)}${zoneIsUtc ? '' : ` (${formatInZone(cov.firstTs!, zone)} to ${formatInZone(cov.lastTs!, zone)})`}.`;
}

/**
 * After the signature: how to read each decisive finding (the letter gave
 * the first ones' summaries; further ones come whole), other context, and
 * the records with the span they cover.
 */
function appendixLines(input: DraftInput, decisive: Finding[], inBody: Finding[], zone: Zone, zoneIsUtc: boolean): string[] {
  const out: string[] = [];
  const explained = decisive.slice(0, APPENDIX_FINDINGS).filter((f) => f.id !== 'impossible-source' || !inBody.includes(f));
  for (const f of explained) {
    const text = inBody.includes(f) ? f.explanation : [f.summary, f.explanation].filter(Boolean).join(' ');
    if (text) out.push(`- ${text}`);
  }
  const context = input.findings.filter((f) => f.leaning === 'context' && f.strength > 0 && f.detector !== 'ids-replay' && !f.id.startsWith('ids-')).slice(0, 2);
  for (const f of context) out.push(`- ${f.summary}`);
  if (out.length) out.push('');

  const sensor = input.findings.filter((f) => f.leaning === 'context' && (f.detector === 'ids-replay' || f.id.startsWith('ids-')));
  const refs = tableRefs(decisive, sensor);
  if (refs.length) {
    const yourColumn = input.timeOffsetSeconds !== 0 ? ' | as your clock shows it' : zoneIsUtc ? '' : ` | your zone, ${zoneLabel(zone)}`;
    out.push(`The records (time in UTC${yourColumn} | packet or line | where):`);
    out.push(evidenceTable(refs, zone, zoneIsUtc, input.timeOffsetSeconds));
    if (input.coverage.firstTs !== undefined) out.push(coverageSentence(input.coverage, zone, zoneIsUtc));
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * The rows of the evidence table: each decisive finding's own samples first
 * (they already span its pattern from first to last), then the packets our
 * sensor replays counted while there is room (the reply's sensor paragraph
 * speaks of them); in time order.
 */
function tableRefs(decisive: Finding[], sensor: Finding[]): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  const seen = new Set<string>();
  const take = (r: EvidenceRef): void => {
    const key = `${r.file}|${r.packet ?? r.line}|${r.offset}`;
    if (seen.has(key) || out.length >= MAX_TABLE_ROWS) return;
    seen.add(key);
    out.push(r);
  };
  // Round-robin over the decisive findings so each is represented.
  const lists = decisive.map((f) => f.evidence);
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) take(l[i]);
  const ordered = [...sensor].sort((a, b) => Number(Boolean(b.facts?.wouldFire || b.facts?.exceedsScanlogdWeight)) - Number(Boolean(a.facts?.wouldFire || a.facts?.exceedsScanlogdWeight)) || b.strength - a.strength);
  for (const f of ordered) for (const r of f.evidence.slice(0, 4)) take(r);
  return out.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
}

/**
 * "Compromise" covers malware and a person misusing the host alike; say
 * which the pattern supports. Whether we asked our customer is the
 * operator's to state (actions), not the template's.
 */
function originNote(findings: Finding[]): string {
  const ids = new Set(findings.filter((f) => f.leaning === 'compromise').map((f) => f.id));
  const has = (prefix: string): boolean => [...ids].some((id) => id.startsWith(prefix));
  if (has('worm-')) return 'The pattern is that of self-propagating malware (a worm) rather than of a person at the keyboard.';
  if (has('brute-force')) return 'Password guessing like this is usually done by malware installed on a compromised host, sometimes by a person misusing it.';
  if (has('outbound-') || has('crafted-')) return 'The probes are what a scanning tool (such as nmap) produces, run either by a person using the host or by malware looking for its next victims.';
  return 'Either malware or a person using the host may have caused it.';
}

/**
 * What is missing, as the complainant should read it: our internal gaps
 * ("no captures attached") stay in the notes; the reply says what the
 * records could not show and why their details would help.
 */
function replyForMissing(missing: string[]): string {
  const text = missing.join(' ');
  if (/never shows the accused/.test(text)) return 'Our records for the period do not show the traffic you describe from that address.';
  if (/does not cover/.test(text)) return 'Our records do not cover the time given in your report, so we cannot match it yet; exact times with their time zone would let us look at the right window.';
  if (/no pattern strong enough/.test(text)) return 'Our records show traffic between our host and yours, but nothing that settles the question either way.';
  return 'We need more detail to match your report against our own records.';
}

/** Why the times in the reply are shifted: a zone or clock within a day, or dates that are whole days off. */
function offsetSentence(offsetSeconds: number): string {
  const h = offsetSeconds / 3600;
  const days = Math.trunc(offsetSeconds / 86_400);
  if (days === 0) {
    return `Your time stamps line up with our records when shifted by ${h > 0 ? '+' : ''}${h} h: your clock or log zone is ${Math.abs(h)} h ${h > 0 ? 'ahead of' : 'behind'} UTC as written.`;
  }
  const rest = (offsetSeconds - days * 86_400) / 3600;
  const n = Math.abs(days);
  return `Your log lines match ours to the second when their dates are moved ${n} day${n === 1 ? '' : 's'} ${days > 0 ? 'back' : 'forward'}`
    + `${rest ? ` (and ${Math.abs(rest)} h for the zone)` : ''}: please check the date your logs carry.`;
}
