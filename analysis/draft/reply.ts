import type { Complaint } from '../complaint/complaint';
import type { Coverage } from '../correlate/coverage';
import type { EvidenceRef, Finding } from '../detect/detector';
import { formatInZone, formatUtc, parseZone, zoneLabel } from '../util/time';
import type { VerdictResult } from '../verdict/weigh';
import { evidenceTable } from './evidence-table';
import { maskThirdParties } from './mask';

export interface Draft {
  subject: string;
  body: string;
}

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
}

const MAX_TABLE_ROWS = 14;

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

function headline(v: VerdictResult['verdict'], accused: string, c: Complaint, impossible: boolean): string {
  const what = activityWords(c);
  if (v === 'backscatter' && impossible) {
    return `The packets you reported from ${accused} did not come from our network, nor from any other across the Internet: ${accused} cannot be routed, so they were produced on your own network segment.`;
  }
  switch (v) {
    case 'backscatter':
      return `Our analysis shows that the packets you received from ${accused} were not ${what} by our host but backscatter: our host's replies to packets that carried your address as a forged source.`;
    case 'legitimate':
      return `Our analysis shows that the traffic you reported from ${accused} was legitimate: our host was answering connections that your own network opened, not running ${what}.`;
    case 'compromise':
      return `Thank you for your report: our analysis confirms that ${accused} itself originated the traffic you reported (${what}), and we are acting on it.`;
    default:
      return `We have looked into your report about ${accused}, but the information we have does not yet allow us to confirm or rule out ${what}.`;
  }
}

function actions(v: VerdictResult['verdict'], findings: Finding[]): string[] {
  switch (v) {
    case 'backscatter': {
      if (findings.some((f) => f.id === 'impossible-source')) {
        return ['No action is needed on our side: these packets did not come from our network. The infected machine is on your segment; the MAC address above leads to it.'];
      }
      return [
        'No action against our customer is warranted: our host did not initiate this traffic. We are filtering the flood at our border where we can.',
        `If you filter, filter the forged flood at its origin: the ${answerKinds(findings)} answers stop when the forged SYNs stop.`,
      ];
    }
    case 'legitimate':
      return [
        'No action against our customer is warranted. You may want to whitelist our server in your IDS or raise its port-scan threshold for replies from well-known service ports.',
      ];
    case 'compromise':
      return [
        'We are isolating the host and contacting our customer; it will stay isolated until it has been cleaned and we have verified that the traffic has stopped.',
        'Please tell us if you see any further traffic from this address after this message.',
      ];
    default:
      return [];
  }
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

/** The reply an experienced abuse handler would send: verdict, why, the packets that prove it, what we did or need. */
export function composeReply(input: DraftInput): Draft {
  const { complaint: c, verdict: v } = input;
  const accused = input.accused[0] ?? c.accused[0] ?? 'the reported address';
  const zone = parseZone(c.zone) ?? parseZone('UTC')!;
  const zoneIsUtc = zone.offset(Date.now()) === 0 && /^(UTC|GMT|Z)?$/i.test(zoneLabel(zone));
  const subject = c.subject ? (/^re:/i.test(c.subject) ? c.subject : `Re: ${c.subject}`) : `Re: abuse report about ${accused}`;

  const decisive = input.findings
    .filter((f) => f.leaning === v.verdict)
    .sort((a, b) => b.strength - a.strength);
  const context = input.findings.filter((f) => f.leaning === 'context' && f.strength > 0);
  const lines: string[] = [];
  lines.push(c.reporter.name ? `Dear ${c.reporter.name},` : 'Hello,');
  lines.push('');
  lines.push(`thank you for your report${c.times[0] ? ` of ${c.times[0].text}` : ''} about ${joinList(input.accused.length ? input.accused : [accused])}.`);
  lines.push('');
  const impossible = input.findings.some((f) => f.id === 'impossible-source' && f.leaning === v.verdict);
  lines.push(headline(v.verdict, accused, c, impossible));
  if (v.verdict === 'compromise') lines.push(originNote(input.findings));
  if (v.verdict !== 'inconclusive') lines.push(`(Confidence: ${Math.round(v.confidence * 100)}%.)`);
  lines.push('');

  if (decisive.length) {
    lines.push('What our evidence shows:');
    for (const f of decisive.slice(0, 4)) {
      lines.push(`- ${f.summary}`);
      if (f.explanation) lines.push(`  ${f.explanation}`);
    }
    lines.push('');
  }
  if (v.conflicting) {
    const other = input.findings.filter((f) => f.leaning !== v.verdict && f.leaning !== 'context').sort((a, b) => b.strength - a.strength)[0];
    if (other) {
      lines.push(`Note: part of the evidence points the other way (${other.summary}) We are still checking this.`);
      lines.push('');
    }
  }
  // The sensor replays that would have fired explain the alert best; say those first.
  const sensor = context
    .filter((f) => f.detector === 'ids-replay' || f.id.startsWith('ids-'))
    .sort((a, b) => Number(Boolean(b.facts?.wouldFire || b.facts?.exceedsScanlogdWeight)) - Number(Boolean(a.facts?.wouldFire || a.facts?.exceedsScanlogdWeight)) || b.strength - a.strength);
  if (sensor.length && v.verdict !== 'inconclusive' && !impossible) {
    lines.push('About your sensor\'s alert (what common IDSs would have counted on our packets to you):');
    for (const f of sensor.slice(0, 4)) lines.push(`- ${f.summary}`);
    lines.push('');
  }
  const otherContext = context.filter((f) => !sensor.includes(f)).slice(0, 2);
  for (const f of otherContext) lines.push(`- ${f.summary}`);
  if (otherContext.length) lines.push('');

  if (input.timeOffsetSeconds !== 0) {
    const h = input.timeOffsetSeconds / 3600;
    lines.push(`Your time stamps line up with our records when shifted by ${h > 0 ? '+' : ''}${h} h: your clock or log zone is ${Math.abs(h)} h ${h > 0 ? 'ahead of' : 'behind'} UTC as written. All times below are in UTC${zoneIsUtc ? '' : ` and in ${zoneLabel(zone)}`}.`);
    lines.push('');
  }

  const refs = tableRefs(decisive, sensor);
  if (refs.length) {
    const yourColumn = input.timeOffsetSeconds !== 0 ? ' | as your clock shows it' : zoneIsUtc ? '' : ` | your zone, ${zoneLabel(zone)}`;
    lines.push(`The records (time in UTC${yourColumn} | packet or line | where):`);
    lines.push(evidenceTable(refs, zone, zoneIsUtc, input.timeOffsetSeconds));
  }
  // The span our records cover goes with the table, and alone when the window was missed: it is why we cannot answer yet.
  if (input.coverage.firstTs !== undefined && (refs.length || v.verdict === 'inconclusive')) {
    lines.push(`Our records cover ${formatUtc(input.coverage.firstTs)} to ${formatUtc(input.coverage.lastTs!)}${zoneIsUtc ? '' : ` (${formatInZone(input.coverage.firstTs, zone)} to ${formatInZone(input.coverage.lastTs!, zone)})`}.`);
  }
  if (refs.length || (input.coverage.firstTs !== undefined && v.verdict === 'inconclusive')) lines.push('');

  if (v.verdict === 'inconclusive' && v.missing.length) {
    lines.push(replyForMissing(v.missing));
    lines.push('');
  }
  const act = [...actions(v.verdict, decisive), ...requestsFor(v)];
  if (act.length) {
    lines.push(...act);
    lines.push('');
  }
  lines.push('Best regards,');
  lines.push('Abuse desk');

  let body = lines.join('\n');
  if (input.maskThirdParties !== false) {
    const keep = [...input.accused, ...input.targets, ...c.accused, ...c.targets];
    body = maskThirdParties(body, keep);
  }
  return { subject, body };
}

/**
 * The rows of the evidence table: each decisive finding's own samples first
 * (they already span its pattern from first to last), then the sensor
 * replay's packets while there is room; in time order.
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
  for (const f of sensor) for (const r of f.evidence.slice(0, 4)) take(r);
  return out.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
}

/**
 * "Compromise" covers malware and a person misusing the host alike; say
 * which the pattern supports, and that the customer will be asked.
 */
function originNote(findings: Finding[]): string {
  const ids = new Set(findings.filter((f) => f.leaning === 'compromise').map((f) => f.id));
  const has = (prefix: string): boolean => [...ids].some((id) => id.startsWith(prefix));
  if (has('worm-')) return 'The pattern is that of self-propagating malware (a worm) rather than of a person at the keyboard.';
  if (has('brute-force')) return 'Password guessing like this is usually done by malware installed on a compromised host, sometimes by a person misusing it; we will establish which with our customer.';
  if (has('outbound-') || has('crafted-')) return 'The probes are what a scanning tool (such as nmap) produces: run either by a person using the host, or by malware that scans for its next victims; we will establish which with our customer.';
  return 'We will establish with our customer whether malware or a person using the host caused it.';
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
