/**
 * What kind of report a complaint is: network abuse (a scan, brute force, a
 * flood, a worm or bot), phishing, malware hosting, spam, an open service
 * (Shadowserver-style reports of a service anyone can reach) or a copyright
 * notice. The queue files and answers each kind apart: a phishing site is
 * taken down, an open resolver closed, a copyright notice forwarded, and only
 * network abuse is weighed by the first look's traffic checks.
 *
 * The report's own type decides when it has one (X-ARF Report-Type or type,
 * the ARF feedback type, a Shadowserver report's file name, Google Safe
 * Browsing's lists); then the subject's words, then the body's; a complaint
 * that says nothing else is network abuse. Pure.
 */
import type { Complaint } from '../complaint/complaint';
import type { ReportClass } from '../case-vocabulary';

export { REPORT_CLASSES, type ReportClass } from '../case-vocabulary';

export interface ReportClassification {
  reportClass: ReportClass;
  /** What was reported, in a few words ("NTP", a URL, "harvesting"), when the report says. */
  detail: string | null;
  /** Why this class, in words: "the report's type is “phishing”". */
  basis: string;
}

/** The network kinds: the first look's verdict applies to them. */
export function isNetworkClass(c: ReportClass | null | undefined): boolean {
  return !c || c === 'network-abuse';
}

type Input = Pick<Complaint, 'subject' | 'text' | 'reportFields' | 'activity' | 'format'>;

/** Prose beyond this is not searched for a report type's words. */
const PROSE_CHARS = 64 * 1024;

/** Report-field keys that name the report's type, strongest first (keys compared lower-case). */
const TYPE_KEYS = ['report-type', 'report.reporttype', 'reporttype', 'type', 'feedback-type', 'report', 'category', 'report.reportclass'];

/** Network words in a type: checked before the content words, so "botnet malware" stays a bot. */
const NETWORK_TYPE = /\b(?:bot|botnet|ircbot|regbot|badbot|drone|sinkhole|infected|infection|c2|command and control|ddos|dos|flood|amplification attack|scan|port ?scan|portscan|vulnerability scan|reconnaissance|probe|login|login ?attack|loginattack|brute ?force|ssh|hack|hack attack|worm|compromised server|compromised account|potentiallycompromisedaccount|scraping|sql injection|blocklist|threat intelligence)\b/;

/** The class a structured type value names, if any. `raw` is as written (a file name keeps its underscores). */
function typeClass(key: string, raw: string): ReportClass | undefined {
  const t = raw.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  if (!t) return undefined;
  if (key === 'feedback-type') return t === 'fraud' ? 'phishing' : 'spam'; // RFC 5965: abuse, fraud, virus, other, not-spam
  if (/\bphish|\bfraud\b/.test(t)) return 'phishing';
  if (/\bcopyright|\binfring|\bdmca\b|\bp2p\b/.test(t)) return 'copyright';
  // Shadowserver's scan_* and open-resolver reports list hosts *they* found answering.
  if (/(?:^|[^a-z])scan_/i.test(raw) || /\bopen ?(?:service|resolver)s?\b|\bopenservice\b|\bopenresolver\b|\baccessible\b/.test(t)) return 'open-service';
  if (NETWORK_TYPE.test(t)) return 'network-abuse';
  if (/\bspam|\bfbl\b|\bharvest|\bmessaging\b/.test(t)) return 'spam';
  if (/\bmalware\b|\bmalicious\b|\bvirus(?:es)?\b|\bdistribution\b|\bcompromised (?:web ?)?site\b|\bdefacement\b/.test(t)) return 'malware-hosting';
  return undefined;
}

function fieldsOf(c: Input): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(c.reportFields ?? {})) if (typeof v === 'string') m.set(k.toLowerCase(), v);
  return m;
}

const URL_RE = /\bhttps?:\/\/[^\s"'<>\])]+/i;

/** The reported URL: a report field holding one, else the subject's. */
function reportedUrl(fields: Map<string, string>, subject: string): string | null {
  for (const k of ['source', 'uri', 'url', 'report.source.url', 'report.url', 'source.url']) {
    const v = fields.get(k);
    const m = v ? URL_RE.exec(v) : null;
    if (m) return m[0];
  }
  return URL_RE.exec(subject)?.[0] ?? null;
}

const SERVICE_WORDS: Record<string, string> = {
  dns_openresolver: 'open DNS resolver', openresolver: 'open DNS resolver', dns: 'DNS', ntp: 'NTP (monlist)', ntpmonitor: 'NTP monitor',
  snmp: 'SNMP', ssdp: 'SSDP', netbios: 'NetBIOS', mssql: 'MS SQL', ipmi: 'IPMI', memcached: 'memcached', redis: 'Redis',
  nat_pmp: 'NAT-PMP', afp: 'AFP', ftp: 'FTP', http: 'HTTP', ldap_tcp: 'LDAP', ldap: 'LDAP', rsync: 'rsync', rdp: 'RDP',
};

/** The open service a report names: its file name's scan_<service>, or its service field. */
function openServiceName(fields: Map<string, string>, subject: string): string | null {
  const name = fields.get('report') ?? '';
  const m = /(?:^|[^a-z])(?:scan_([a-z0-9_]+?)|(dns_openresolver))(?:-sample)?(?:-(?:asn|ip|geo|cc))?(?:\.csv)?$/i.exec(name.replace(/\.csv.*$/i, ''));
  const key = (m?.[1] ?? m?.[2])?.toLowerCase();
  if (key) return SERVICE_WORDS[key] ?? key;
  const svc = fields.get('report.servicename') ?? fields.get('service');
  if (svc) return SERVICE_WORDS[svc.toLowerCase()] ?? svc;
  const acc = /\bAccessible ([A-Za-z0-9 -]{2,40}?) Report\b/.exec(subject);
  return acc ? acc[1] : null;
}

/** Google Safe Browsing's notice: <list type="N"> of <url_info>; 0 compromised (malware), 1 phishing, 2 malware distribution. */
function safeBrowsing(text: string): ReportClassification | null {
  if (!/<notification_message\b/.test(text)) return null;
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/<list\s+type="(\d+)"\s*>([\s\S]*?)<\/list>/g)) {
    counts.set(m[1], (counts.get(m[1]) ?? 0) + (m[2].match(/<url_info\b/g) ?? []).length);
  }
  const malware = (counts.get('0') ?? 0) + (counts.get('2') ?? 0);
  const phishing = counts.get('1') ?? 0;
  if (!malware && !phishing) return null;
  const parts = [malware && `${malware} URL${malware === 1 ? '' : 's'} serving malware`, phishing && `${phishing} phishing URL${phishing === 1 ? '' : 's'}`].filter(Boolean);
  return {
    reportClass: phishing > malware ? 'phishing' : 'malware-hosting',
    detail: parts.join(', '),
    basis: 'Google Safe Browsing lists the URLs (list 0 and 2: malware, list 1: phishing)',
  };
}

const SUBJECT_WORDS: Array<[ReportClass, RegExp]> = [
  ['phishing', /\bphish(?:ing)?\b/i],
  ['malware-hosting', /\bmalicious content\b|\bvirus(?:es)? sites?\b|\bmalware (?:attack|site|url|hosting|distribution)\b|\bhosting malware\b/i],
  ['copyright', /\bcopyright\b|\binfringement\b|\bunauthori[sz]ed use\b|\bDMCA\b/i],
  ['open-service', /\bopen (?:dns )?resolvers?\b|\baccessible\b[^\n]{0,40}\breport\b/i],
];

const BODY_WORDS: Array<[ReportClass, RegExp]> = [
  ['phishing', /\bphishing (?:site|page|attack|url|website|campaign|kit|content)s?\b|\bfraudulent (?:site|website|content|page)s?\b/gi],
  ['malware-hosting', /\bmalicious software being downloaded\b|\bremove the malware\b|\bmalware (?:site|url|hosting|distribution)\b|\b(?:hosts?|hosting|serves?|serving|distribut\w*) (?:malware|malicious (?:software|files?|content))\b|\bviruses sites?\b/gi],
  ['copyright', /\bcopyright infringement\b|\bnotice of (?:claimed )?infringement\b|\bunauthori[sz]ed (?:use|distribution|copying)\b|\bDMCA\b|\bDigital Millennium Copyright Act\b|\bcopyrighted (?:work|material|content)s?\b/gi],
  ['open-service', /\bopen (?:dns )?resolvers?\b|\bopen recursive (?:dns|resolver)/gi],
];

const ACTIVITY_WORDS: Record<string, string> = {
  'port-scan': 'port scan', sweep: 'address sweep', flood: 'flood', 'brute-force': 'brute force', worm: 'worm or bot', other: 'network activity',
};

/** Shorten to a queue-sized phrase. */
function short(s: string, max = 80): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

function classified(c: Input, fields: Map<string, string>, reportClass: ReportClass, basis: string, typeWord?: string): ReportClassification {
  const subject = c.subject ?? '';
  switch (reportClass) {
    case 'phishing':
    case 'malware-hosting':
      return { reportClass, detail: reportedUrl(fields, subject), basis };
    case 'open-service':
      return { reportClass, detail: openServiceName(fields, subject), basis };
    case 'copyright':
      return { reportClass, detail: subject ? short(subject) : null, basis };
    case 'spam':
      return { reportClass, detail: typeWord && !/^(?:abuse|spam)$/i.test(typeWord) ? typeWord.toLowerCase() : null, basis };
    case 'network-abuse':
      return { reportClass, detail: ACTIVITY_WORDS[c.activity] ?? null, basis };
  }
}

/** Classify a complaint by what it reports. */
export function classifyReport(c: Input): ReportClassification {
  const fields = fieldsOf(c);
  for (const key of TYPE_KEYS) {
    const v = fields.get(key);
    const cls = v ? typeClass(key, v) : undefined;
    if (cls && v) {
      const word = key === 'report' ? v.replace(/\.csv.*$/i, '') : v;
      const basis = `the report's ${key === 'report' ? 'name' : key === 'feedback-type' ? 'feedback type (ARF)' : 'type'} is “${short(word, 60)}”`;
      return classified(c, fields, cls, basis, key === 'feedback-type' ? 'mail feedback report' : v);
    }
  }
  const text = c.text.slice(0, PROSE_CHARS);
  const sb = safeBrowsing(text);
  if (sb) return sb;
  const subject = c.subject ?? '';
  for (const [cls, re] of SUBJECT_WORDS) {
    const m = re.exec(subject);
    if (m) return classified(c, fields, cls, `the subject says “${short(m[0], 40)}”`);
  }
  let best: { cls: ReportClass; n: number; word: string } | null = null;
  for (const [cls, re] of BODY_WORDS) {
    const ms = [...text.matchAll(re)];
    if (ms.length && (!best || ms.length > best.n)) best = { cls, n: ms.length, word: ms[0][0] };
  }
  if (best) return classified(c, fields, best.cls, `the complaint says “${short(best.word, 40)}”`);
  if (c.activity === 'spam') return classified(c, fields, 'spam', 'the complaint speaks of spam');
  return classified(c, fields, 'network-abuse', c.activity === 'other' ? 'no other report type is named' : `the complaint reports a ${ACTIVITY_WORDS[c.activity]}`);
}
