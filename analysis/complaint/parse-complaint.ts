import { FixedOffsetZone, type Zone } from 'luxon';
import type { NetEvent } from '../events/event';
import type { LineParser } from '../ingest/reader';
import { lineParsers } from '../ingest/text/index';
import { DEFAULT_LIMITS, MessageBudget, type Limits } from '../limits';
import { bogonReason, inCidrs } from '../util/net';
import { parseZone, zoneLabel } from '../util/time';
import { findAddresses, type AddressMention } from './addresses';
import { findFeedbackReport, parseFeedbackReport } from './arf';
import { decodeText, emptyGathered, gatherAttachments, readStructured } from './attachments';
import type { Activity, Complaint, ComplaintTime } from './complaint';
import { classifyActivity, extractClaimedCount, extractPorts, extractProtocol, extractSensor } from './extract';
import { addUnique, type ReportFacts } from './facts';
import { organisationDomain, parseMail, type MailParts } from './mail';
import { readQuotedLines } from './quoted';
import { dateHeaderZone, extractTimes, findZoneStatement, parseDateHeader, type TimeContext } from './times';
import { findXarfYamlBlocks, parseXarfYaml } from './xarf';

export interface ParseComplaintOptions {
  /** Display name of the complaint file. */
  fileName?: string;
  /** Our address blocks (CIDR); the accused are the complaint's addresses inside them. */
  ourNets?: string[];
  /** "Now" for year-less times when the complaint has no Date:, ms since epoch. */
  nowMs?: number;
  /** What `nowMs` is, for the warning about year-less times ("the current date", "the evidence's time span"). */
  nowLabel?: string;
  /** Line parsers for quoted log lines; defaults to the evidence readers' parsers. */
  lineParsers?: readonly LineParser[];
  /** What one message may cost (decoded bytes, attachments, text kept); analysis/limits.ts. */
  limits?: Limits;
}

/** Text beyond this is not analysed by default (the attachments are still handed on whole). */
export const MAX_TEXT_CHARS = DEFAULT_LIMITS.message.textChars;
const HEADER_NAMES = /^(?:from|to|cc|subject|date|received|return-path|message-id|mime-version|content-type|delivered-to|reply-to|sender|x-[\w-]+|dkim-signature|authentication-results|arc-[\w-]+|in-reply-to|references|user-agent|organization|thread-topic|importance|list-[\w-]+|errors-to|auto-submitted|precedence|content-transfer-encoding|resent-[\w-]+)$/i;

/**
 * Is this an RFC 822 message: (an mbox "From " line and) header fields up
 * to a blank line, some of them ones only mail has? Pasted text that merely
 * starts with "Subject:" is not.
 */
export function looksLikeMail(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/, 200);
  let i = 0;
  if (lines[0]?.startsWith('From ')) i = 1;
  let fields = 0;
  let mailFields = 0;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l === '') return fields >= 2 && mailFields >= 1;
    if (/^[ \t]/.test(l)) { if (fields === 0) return false; continue; }
    const m = /^([!-9;-~]+):/.exec(l);
    if (!m) return false;
    fields++;
    if (HEADER_NAMES.test(m[1])) mailFields++;
  }
  return false;
}

/** "Subject:", "From:", "Date:" lines near the top of pasted text. */
function pseudoHeaders(text: string): { subject?: string; from?: string; date?: string } {
  const out: { subject?: string; from?: string; date?: string } = {};
  const lines = text.split(/\r?\n/, 120);
  for (const l of lines) {
    const m = /^\s*(Subject|From|Date)\s*:\s*(.+?)\s*$/i.exec(l);
    if (!m) continue;
    const k = m[1].toLowerCase() as 'subject' | 'from' | 'date';
    if (k === 'date' && Number.isNaN(parseDateHeader(m[2]))) continue;
    out[k] ??= m[2];
  }
  return out;
}

/** Control bytes or invalid UTF-8 in more than 2% of the head: not a complaint a person wrote. */
function looksBinary(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const b of head) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) control++;
  const decoded = decodeText(head);
  let bad = 0;
  for (let i = 0; i < decoded.length; i++) if (decoded.charCodeAt(i) === 0xfffd) bad++;
  return control / head.length > 0.02 || bad / Math.max(1, decoded.length) > 0.02;
}

/** Parse a complaint (mail or pasted text). Never throws: what cannot be read becomes a warning. */
export async function parseComplaint(input: Uint8Array, opts: ParseComplaintOptions = {}): Promise<Complaint> {
  try {
    return await parseComplaintUnsafe(input, opts);
  } catch (err) {
    return {
      ...emptyComplaint('text'),
      warnings: [`complaint could not be understood: ${err instanceof Error ? err.message : String(err)}`],
    };
  }
}

function emptyComplaint(format: string): Complaint {
  return {
    format, reporter: {}, accused: [], targets: [], ports: { source: [], destination: [] }, activity: 'other',
    times: [], zone: 'UTC', quotedEvents: [], text: '', attachments: [], warnings: [],
  };
}

async function parseComplaintUnsafe(input: Uint8Array, opts: ParseComplaintOptions): Promise<Complaint> {
  const warnings: string[] = [];
  const file = opts.fileName ?? 'complaint';
  if (input.length === 0) {
    return { ...emptyComplaint('text'), warnings: ['the complaint is empty'] };
  }
  const head = decodeText(input.subarray(0, 64 * 1024));
  if (looksBinary(input.subarray(0, 64 * 1024))) {
    warnings.push('the complaint does not look like text (binary content); addresses and times may be missing');
  }

  let mail: MailParts | null = null;
  let format = 'text';
  let bodyText: string;
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const maxText = limits.message.textChars;
  const budget = new MessageBudget(limits.message);
  const g = emptyGathered();

  if (looksLikeMail(head)) {
    mail = await parseMail(input);
    format = 'eml';
    warnings.push(...mail.warnings);
    bodyText = mail.text;
  } else {
    bodyText = decodeText(input.subarray(0, maxText * 4));
  }
  if (bodyText.length > maxText) {
    warnings.push(`the complaint text is ${bodyText.length} characters: only the first ${maxText} were analysed`);
    bodyText = bodyText.slice(0, maxText);
  }
  bodyText = bodyText.replace(/\r\n?/g, '\n').replace(/\u0000/g, '');
  // The body is searched for quoted lines first; attachments get what room is left.
  budget.useQuoted(bodyText.length);
  if (mail) await gatherAttachments(mail.attachments, g, budget);

  // The body itself may be structured: a pasted ARF report, X-ARF JSON or YAML, a Shadowserver CSV.
  const bodyGathered = emptyGathered();
  if (!mail) readStructured(bodyText, file, 'text/plain', bodyGathered);
  else {
    for (const block of findXarfYamlBlocks(bodyText)) bodyGathered.reports.push(parseXarfYaml(block));
    if (!g.reports.some((r) => r.format === 'arf')) {
      const fr = findFeedbackReport(bodyText);
      if (fr) bodyGathered.reports.push(parseFeedbackReport(fr));
    }
  }
  const reports = [...bodyGathered.reports, ...g.reports];
  warnings.push(...g.warnings);

  // Which format it is, by the most specific structured part.
  if (reports.some((r) => r.format === 'arf') && (mail?.contentType === 'multipart/report' || !mail)) format = 'arf';
  else if (reports.some((r) => r.format === 'xarf-json')) format = 'xarf-json';
  else if (reports.some((r) => r.format === 'xarf-yaml')) format = 'xarf-yaml';
  else if (reports.some((r) => r.format === 'arf')) format = 'arf';
  else if (!mail && reports.some((r) => r.format === 'csv')) format = 'csv';

  // Header facts: the mail's, or "Subject:"/"From:"/"Date:" lines of pasted text.
  const pseudo = mail ? {} : pseudoHeaders(bodyText);
  const subject = mail?.subject ?? pseudo.subject;
  const dateHeader = mail?.dateHeader ?? pseudo.date;
  let dateMs = mail?.dateMs;
  if (dateMs === undefined && pseudo.date) {
    const ms = parseDateHeader(pseudo.date);
    if (Number.isFinite(ms)) dateMs = ms;
  }
  const reporter = { ...(mail?.reporter ?? {}) };
  if (!mail && pseudo.from) {
    const m = /^(?:"?([^"<]*?)"?\s*)?<?([^\s<>@]+@[^\s<>]+?)>?$/.exec(pseudo.from.replace(/\s\(\)\s/g, '@').replace(/\(([^)]*)\)$/, '<$1>'));
    if (m) {
      reporter.address = m[2];
      if (m[1]) reporter.name = m[1].trim();
      reporter.organisation = organisationDomain(m[2]);
    } else reporter.name = pseudo.from;
  }
  for (const r of reports) {
    if (!r.reporter) continue;
    reporter.address ??= r.reporter.address;
    reporter.name ??= r.reporter.name;
    if (r.reporter.organisation) reporter.organisation ??= r.reporter.organisation;
  }
  reporter.organisation ??= organisationDomain(reporter.address);

  // Zones and times.
  const allText = [bodyText, ...g.extraText].join('\n\n');
  const headerZone = dateHeaderZone(dateHeader);
  const statement = findZoneStatement(`${subject ?? ''}\n${bodyText}`);
  const nearMs = dateMs ?? opts.nowMs ?? Date.now();
  const tctx: TimeContext = { nearMs, headerZone, statement };
  const times: ComplaintTime[] = [];
  const addTimes = (list: ComplaintTime[]): void => {
    for (const t of list) {
      // The same text read again with its format's zone (Shadowserver CSV is UTC) replaces the assumed reading.
      const same = times.findIndex((x) => x.text === t.text && (x.ts === t.ts || (x.zoneAssumed && !t.zoneAssumed)));
      if (same >= 0) {
        if (times[same].zoneAssumed && !t.zoneAssumed) times[same] = t;
        continue;
      }
      if (times.length < 1000) times.push(t);
    }
  };
  if (subject) addTimes(extractTimes(subject, tctx));
  // A pasted Date: line is the mail's date, not an incident time.
  // A structured body (CSV, JSON) has its times in known fields; its other columns are not prose.
  const structuredBody = !mail && bodyGathered.reports.some((r) => r.format === 'csv' || r.format === 'xarf-json');
  if (!structuredBody) addTimes(extractTimes(mail ? bodyText : bodyText.replace(/^\s*Date\s*:.*$/im, ''), tctx));
  for (const r of reports) {
    for (const t of r.times) {
      const forced = t.zone ? parseZone(t.zone) : null;
      addTimes(extractTimes(t.text, forced ? { ...tctx, statement: { zone: forced, text: 'format' } } : tctx));
    }
  }
  const complaintZone = chooseZone(statement?.zone, headerZone, times);

  // Quoted log lines (body and text attachments), read by the evidence parsers.
  const parsers = opts.lineParsers ?? lineParsers;
  const quoted = readQuotedLines(
    [{ file, text: bodyText }, ...g.quoted],
    parsers,
    { nearMs, zone: zoneLabel(complaintZone) },
    limits.file,
  );
  warnings.push(...quoted.warnings);

  // Addresses and their roles.
  const subjectMentions = subject ? findAddresses(subject) : [];
  const bodyMentions = findAddresses(allText.slice(0, maxText));
  const roles = decideRoles(subjectMentions, bodyMentions, reports, quoted.events);
  let accused = roles.accused;
  let targets = roles.targets;
  // A complaint names the accused and, around it, its own hosts: with no word marking a target,
  // the other addresses it mentions are the complainant's side (a handful, not a pasted log).
  if (targets.length === 0 && roles.others.length > 0 && roles.others.length <= 8) targets = [...roles.others];

  if (opts.ourNets && opts.ourNets.length > 0) {
    const everything = [...accused, ...targets, ...roles.others];
    const ours = everything.filter((a, i) => everything.indexOf(a) === i && inCidrs(a, opts.ourNets!));
    if (ours.length > 0) {
      accused = ours;
      targets = targets.filter((t) => !ours.includes(t));
    } else if (everything.length > 0) {
      warnings.push(`none of the complaint's addresses (${everything.slice(0, 5).join(', ')}) is in our networks (${opts.ourNets.join(', ')})`);
    }
  }
  if (accused.length === 0) warnings.push('no accused IP address found in the complaint');
  for (const a of accused) {
    const why = bogonReason(a);
    if (why) warnings.push(`accused address ${a} is ${why}`);
    else if (targets.some((t) => sameLan(a, t))) {
      warnings.push(`accused address ${a} is in the same /24 as a target: it may be the complainant's own LAN`);
    }
  }

  // Ports.
  const portFacts = extractPorts(`${subject ?? ''}\n${bodyText}`);
  const source: number[] = [...portFacts.source];
  const destination: number[] = [...portFacts.destination];
  for (const m of [...subjectMentions, ...bodyMentions]) {
    if (m.port === undefined) continue;
    if (accused.includes(m.addr)) addUnique(source, m.port);
    else if (targets.includes(m.addr) || (m.peer && accused.includes(m.peer))) addUnique(destination, m.port);
  }
  for (const ev of quoted.events.slice(0, 5000)) {
    if (ev.src && accused.includes(ev.src)) {
      if (ev.sport !== undefined) addUnique(source, ev.sport);
      if (ev.dport !== undefined) addUnique(destination, ev.dport);
    }
  }
  for (const r of reports) {
    for (const p of r.sourcePorts) addUnique(source, p);
    for (const p of r.destinationPorts) addUnique(destination, p);
  }

  // What they say we did.
  const structuredActivity = reports.find((r) => r.activity !== undefined)?.activity;
  const activity: Activity = structuredActivity ?? classifyActivity(subject ?? '', allText.slice(0, 512 * 1024));
  const protocol = extractProtocol(`${subject ?? ''}\n${bodyText.slice(0, 512 * 1024)}`) ?? reports.find((r) => r.protocol)?.protocol ?? eventProtocol(quoted.events);
  const claimedCount = extractClaimedCount(`${subject ?? ''}\n${bodyText}`) ?? reports.find((r) => r.count !== undefined)?.count;
  const sensor = extractSensor(`${subject ?? ''}\n${allText.slice(0, 512 * 1024)}`) ?? reports.find((r) => r.sensor)?.sensor ?? quoted.formats[0];

  for (const r of reports) warnings.push(...r.warnings);
  const fields: Record<string, string> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.fields)) if (!(k in fields) && Object.keys(fields).length < 200) fields[k] = v;

  let attachments = [...(mail?.attachments ?? []), ...reports.flatMap((r) => r.attachments)];
  if (attachments.length > limits.message.attachments) {
    warnings.push(`the complaint has ${attachments.length} attachments: only the first ${limits.message.attachments} are read as evidence (attachment limit ${limits.message.attachments})`);
    attachments = attachments.slice(0, limits.message.attachments);
  }
  if (dateMs === undefined && times.length > 0 && times.some((t) => t.zoneAssumed)) {
    warnings.push(`the complaint has no Date: header: times without a zone or year were resolved against ${opts.nowLabel ?? 'the current date'}`);
  }
  const complaint: Complaint = {
    format,
    subject,
    messageId: mail?.messageId,
    dateMs,
    reporter: stripUndefined(reporter),
    accused,
    targets,
    ports: { source, destination },
    protocol,
    activity,
    times,
    zone: zoneLabel(complaintZone),
    quotedEvents: quoted.events,
    claimedCount,
    sensor,
    text: bodyText,
    attachments,
    warnings: dedupe(warnings),
  };
  if (portFacts.ranges.length > 0) complaint.portRanges = portFacts.ranges;
  if (Object.keys(fields).length > 0) complaint.reportFields = fields;
  return complaint;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

function dedupe(list: string[]): string[] {
  return list.filter((w, i) => list.indexOf(w) === i);
}

function eventProtocol(events: NetEvent[]): 'tcp' | 'udp' | 'icmp' | undefined {
  for (const ev of events) {
    if (ev.proto === 6) return 'tcp';
    if (ev.proto === 17) return 'udp';
    if (ev.proto === 1 || ev.proto === 58) return 'icmp';
  }
  return undefined;
}

function sameLan(a: string, b: string): boolean {
  if (a.includes(':') || b.includes(':')) return false;
  return a.split('.').slice(0, 3).join('.') === b.split('.').slice(0, 3).join('.');
}

/**
 * The complainant's zone: the one they state, else their Date: header's
 * offset, else the zone most of their times are written in, else UTC.
 */
function chooseZone(stated: Zone | 'local' | undefined, header: Zone | null, times: ComplaintTime[]): Zone {
  if (stated && stated !== 'local') return stated;
  if (header) return header;
  const counts = new Map<string, number>();
  for (const t of times) if (!t.zoneAssumed) counts.set(t.zone, (counts.get(t.zone) ?? 0) + 1);
  let best: string | undefined;
  for (const [z, n] of counts) if (best === undefined || n > counts.get(best)!) best = z;
  return (best && parseZone(best.replace(/^UTC(?=[+-])/, ''))) || (best === 'UTC' ? FixedOffsetZone.utcInstance : null) || FixedOffsetZone.utcInstance;
}

interface Roles {
  accused: string[];
  targets: string[];
  /** Addresses with no clear role. */
  others: string[];
}

/**
 * Who is accused and who was targeted, from (strongest first) structured
 * reports, the words around each address, "X -> Y" arrows and quoted log
 * lines. A quoted alert's source is accused when nothing stronger says
 * otherwise; its other side is then the complainant's.
 */
export function decideRoles(
  subject: AddressMention[],
  body: AddressMention[],
  reports: ReportFacts[],
  events: NetEvent[],
): Roles {
  interface Score { acc: number; tgt: number; src: number; dst: number; subject: boolean; first: number }
  const scores = new Map<string, Score>();
  let order = 0;
  const get = (a: string): Score => {
    let s = scores.get(a);
    if (!s) { s = { acc: 0, tgt: 0, src: 0, dst: 0, subject: false, first: order++ }; scores.set(a, s); }
    return s;
  };
  const structured: string[] = [];
  const structuredTargets: string[] = [];
  for (const r of reports) {
    for (const a of r.accused) { get(a); addUnique(structured, a); }
    for (const t of r.targets) { get(t); addUnique(structuredTargets, t); }
  }
  for (const m of subject) {
    const s = get(m.addr);
    s.subject = true;
    s.acc += m.accused * 2;
    s.tgt += m.target * 2;
    if (m.arrow === 'src') s.src += 2;
    if (m.arrow === 'dst') s.dst += 2;
  }
  const pairs: Array<[string, string]> = [];
  for (const m of body) {
    const s = get(m.addr);
    s.acc += m.accused;
    s.tgt += m.target;
    if (m.arrow === 'src') { s.src++; if (m.peer) pairs.push([m.addr, m.peer]); }
    if (m.arrow === 'dst') s.dst++;
  }
  for (const ev of events.slice(0, 10_000)) {
    if (ev.src) { get(ev.src).src++; }
    if (ev.dst) { get(ev.dst).dst++; }
    if (ev.src && ev.dst) pairs.push([ev.src, ev.dst]);
  }

  const accused: string[] = [...structured];
  // Words first: an address the prose accuses more than it calls a target.
  for (const [a, s] of scores) if (s.acc > s.tgt && !structuredTargets.includes(a)) addUnique(accused, a);
  if (accused.length === 0) {
    // The subject names the accused when it names one address without calling it a target.
    for (const [a, s] of scores) if (s.subject && s.tgt === 0 && s.dst <= s.src) addUnique(accused, a);
  }
  if (accused.length === 0) {
    // Quoted alerts and arrows: the sending side.
    for (const [a, s] of scores) if (s.src > s.dst && s.tgt === 0) addUnique(accused, a);
  }
  if (accused.length === 0) {
    // Nothing decisive: the address the words accuse most, even if it is also called a target.
    const best = Math.max(0, ...[...scores.values()].map((s) => s.acc));
    if (best > 0) for (const [a, s] of scores) if (s.acc === best) addUnique(accused, a);
  }
  if (accused.length === 0) {
    const unclassified = [...scores].filter(([a, s]) => s.tgt === 0 && s.dst === 0 && !structuredTargets.includes(a)).map(([a]) => a);
    if (unclassified.length > 0 && unclassified.length <= 3) accused.push(...unclassified);
    else if (unclassified.length > 3) accused.push(unclassified[0]);
  }
  const targets: string[] = [];
  for (const t of structuredTargets) if (!accused.includes(t)) addUnique(targets, t);
  for (const [a, s] of scores) if (!accused.includes(a) && s.tgt > s.acc) addUnique(targets, a);
  // The far side of an arrow or alert from (or to) an accused address is the complainant's.
  for (const [src, dst] of pairs) {
    if (accused.includes(src) && !accused.includes(dst)) addUnique(targets, dst);
    if (accused.includes(dst) && !accused.includes(src)) addUnique(targets, src);
  }
  const others = [...scores.keys()].filter((a) => !accused.includes(a) && !targets.includes(a));
  const byFirst = (a: string, b: string): number => scores.get(a)!.first - scores.get(b)!.first;
  const structuredFirst = (list: string[]): string[] => {
    const s = list.filter((a) => structured.includes(a));
    return [...s, ...list.filter((a) => !structured.includes(a)).sort(byFirst)];
  };
  return { accused: structuredFirst(accused), targets: targets.sort(byFirst), others: others.sort(byFirst) };
}
