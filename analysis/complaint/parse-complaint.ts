import type { LineParser } from '../ingest/reader';
import { lineParsers } from '../ingest/text/index';
import { DEFAULT_LIMITS, MessageBudget, type Limits } from '../limits';
import { zoneLabel } from '../util/time';
import { findAddresses } from './addresses';
import type { Complaint } from './complaint';
import { evidenceAttachments, readAttachments } from './parse/attachments';
import { complaintClaims } from './parse/claims';
import { headerFacts, readEnvelope, type Envelope } from './parse/envelope';
import { complaintPorts } from './parse/ports';
import { findReporter } from './parse/reporter';
import { assignRoles } from './parse/roles';
import { complaintFormat, reportFields, structuredReports } from './parse/structured';
import { complaintTimes } from './parse/times';
import { readQuotedLines } from './quoted';

export { looksLikeMail } from './parse/envelope';
export { decideRoles } from './parse/roles';

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

/** Parse a complaint (mail or pasted text). Never throws: what cannot be read becomes a warning. */
export async function parseComplaint(input: Uint8Array, opts: ParseComplaintOptions = {}): Promise<Complaint> {
  return (await readComplaint(input, opts)).complaint;
}

/** A complaint as parsed, and the same input parsed again with other options without reading the mail a second time. */
export interface ComplaintReading {
  complaint: Complaint;
  /** `parseComplaint` of the same input with these options added (a better "now" once the evidence's time is known). */
  again(more: Pick<ParseComplaintOptions, 'nowMs' | 'nowLabel'>): Promise<Complaint>;
}

/**
 * parseComplaint, keeping the mail as read (MIME parsing is most of a small
 * complaint's cost) for `again`; nothing else is shared between the two.
 */
export async function readComplaint(input: Uint8Array, opts: ParseComplaintOptions = {}): Promise<ComplaintReading> {
  let envelope: Promise<Envelope> | undefined;
  const read = async (o: ParseComplaintOptions): Promise<Complaint> => {
    try {
      if (input.length === 0) return { ...emptyComplaint('text'), warnings: ['the complaint is empty'] };
      envelope ??= readEnvelope(input, (o.limits ?? DEFAULT_LIMITS).message);
      return await parseComplaintUnsafe(await envelope, o);
    } catch (err) {
      return {
        ...emptyComplaint('text'),
        warnings: [`complaint could not be understood: ${err instanceof Error ? err.message : String(err)}`],
      };
    }
  };
  return { complaint: await read(opts), again: (more) => read({ ...opts, ...more }) };
}

function emptyComplaint(format: string): Complaint {
  return {
    format, reporter: {}, accused: [], targets: [], ports: { source: [], destination: [] }, activity: 'other',
    times: [], zone: 'UTC', quotedEvents: [], text: '', attachments: [], warnings: [],
  };
}

/**
 * The steps, in order (each in parse/): the envelope (mail or text, the
 * body), the attachments, the structured reports, the header facts and the
 * reporter, times and zone, quoted lines, the roles of the addresses, the
 * ports, what they say we did, the attachments handed on as evidence.
 * Warnings are kept in the order the steps raise them.
 */
async function parseComplaintUnsafe(env: Envelope, opts: ParseComplaintOptions): Promise<Complaint> {
  const file = opts.fileName ?? 'complaint';
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const { mail, bodyText } = env;
  const warnings = [...env.warnings];

  // The body is searched for quoted lines first; attachments get what room is left.
  const budget = new MessageBudget(limits.message);
  budget.useQuoted(bodyText.length);
  const attached = await readAttachments(mail, budget);
  const { reports, structuredBody } = structuredReports(bodyText, file, mail, attached);
  warnings.push(...attached.warnings);

  const header = headerFacts(env);
  const { subject, dateMs } = header;
  const reporter = findReporter(mail, header.pastedFrom, reports, warnings);

  const allText = [bodyText, ...attached.extraText].join('\n\n');
  const nearMs = dateMs ?? opts.nowMs ?? Date.now();
  const { times, zone } = complaintTimes({ subject, bodyText, pasted: !mail, structuredBody, reports, dateHeader: header.dateHeader, nearMs });

  // Quoted log lines (body and text attachments), read by the evidence parsers.
  const quoted = readQuotedLines([{ file, text: bodyText }, ...attached.quoted], opts.lineParsers ?? lineParsers, { nearMs, zone: zoneLabel(zone) }, limits.file);
  warnings.push(...quoted.warnings);

  const subjectMentions = subject ? findAddresses(subject) : [];
  const bodyMentions = findAddresses(allText.slice(0, limits.message.textChars));
  const roles = assignRoles(subjectMentions, bodyMentions, reports, quoted.events, opts.ourNets);
  const { accused, targets } = roles;
  warnings.push(...roles.warnings);

  const ports = complaintPorts(`${subject ?? ''}\n${bodyText}`, [...subjectMentions, ...bodyMentions], quoted.events, reports, accused, targets);
  const claims = complaintClaims({ subject, bodyText, allText, reports, quotedEvents: quoted.events, quotedFormats: quoted.formats });

  for (const r of reports) warnings.push(...r.warnings);
  const fields = reportFields(reports);
  const evidence = evidenceAttachments(mail, reports, limits.message);
  warnings.push(...evidence.warnings);
  if (dateMs === undefined && times.length > 0 && times.some((t) => t.zoneAssumed)) {
    warnings.push(`the complaint has no Date: header: times without a zone or year were resolved against ${opts.nowLabel ?? 'the current date'}`);
  }
  // Keys in the order they have always had: the complaint is stored and exported as JSON.
  const complaint: Complaint = {
    format: complaintFormat(reports, mail),
    subject,
    messageId: mail?.messageId,
    dateMs,
    reporter,
    accused,
    targets,
    ports: { source: ports.source, destination: ports.destination },
    protocol: claims.protocol,
    activity: claims.activity,
    times,
    zone: zoneLabel(zone),
    quotedEvents: quoted.events,
    claimedCount: claims.claimedCount,
    sensor: claims.sensor,
    text: bodyText,
    attachments: evidence.attachments,
    warnings: dedupe(warnings),
  };
  if (ports.ranges.length > 0) complaint.portRanges = ports.ranges;
  if (Object.keys(fields).length > 0) complaint.reportFields = fields;
  return complaint;
}

function dedupe(list: string[]): string[] {
  return list.filter((w, i) => list.indexOf(w) === i);
}
