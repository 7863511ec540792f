import { normalizeAddress } from '../util/net';

/** One address as it occurs in the text, with what the words around it say about it. */
export interface AddressMention {
  addr: string;
  index: number;
  end: number;
  /** Port written right after it ("1.2.3.4:80", "[2001:db8::1]:443", tcpdump's "1.2.3.4.80"). */
  port?: number;
  /** Evidence that it is the accused side (source of the traffic) or the target side. */
  accused: number;
  target: number;
  /** Role from a "X -> Y" arrow, when it stands in one. */
  arrow?: 'src' | 'dst';
  /** The address this one is paired with by the arrow. */
  peer?: string;
}

const V4 = /(?<![\d.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?:(?::|\.)(\d{1,5}))?(?![\d])/g;
/** Candidate IPv6 text (validated afterwards); optionally bracketed with a port. */
const V6 = /\[?(?<![\w:.])((?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|\d{1,3}(?:\.\d{1,3}){3}))(?:%[\w.]+)?(?:\]:(\d{1,5}))?(?![\w:])/gi;

// What the words before an address say. Anchored at the end of the preceding text.
const ACCUSED_BEFORE = [
  /\b(?:from|by)\s+(?:your\s+|the\s+|this\s+|a\s+)?(?:customer'?s?\s+)?(?:(?:ip|host|server|machine|system|address|computer|client|network|device|ip\s+address|box|vps|node)\s*)?[:=]?\s*\*?$/i,
  /\b(?:your|customer'?s?|offending|attacking|abusive|infected|compromised)\s+(?:\w+\s+){0,2}(?:ip(?:\s+address)?|host|server|machine|system|address|computer|client|device|customer)\s*(?:with\s+(?:the\s+)?ip(?:\s+address)?)?\s*[:=]?\s*\*?$/i,
  /\b(?:source|src|attacker|offender|origin(?:ating)?|sender|source[-_ ]ip|sourceip|source[-_ ]address|reported[-_ ]ip|abuser|culprit|intruder|scanner)(?:\s*(?:ip|host|address|addr))?\s*(?:ip|address)?(?::port)?\s*(?:is|was|=|:|of)?\s*\*?$/i,
  /\b(?:about|regarding|concerning|on|involving|IP)\s*:?\s*\*?$/,
  /\b(?:ip|host|address)\s*:\s*\*?$/i,
];
const TARGET_BEFORE = [
  /\b(?:to|into|against|towards?|at|on|targeting|targeted|hitting|attacked|attacking|scanned|scanning|probed|probing|flooding|flooded)\s+(?:one\s+of\s+)?(?:our|my|the|its|their)?\s*(?:(?:\w+\s+){0,2}(?:ip|host|hosts|server|servers|machine|network|net|range|address|addresses|system|systems|web\s*server|honeypot|sensor|gateway|firewall|subnet|block|customer|customers|site)\s*)?[:=]?\s*\*?$/i,
  /\b(?:our|my)\s+(?:[\w-]+\s+){0,3}[:=]?\s*\*?$/i,
  /\b(?:destination|dest|dst|target|victim|destination[-_ ]ip|destinationip)(?:\s*(?:ip|host|address|addr))?\s*(?:is|was|=|:)?\s*\*?$/i,
];
const ACCUSED_AFTER = /^\s*\*?\s*(?:\([^)]{0,80}\)\s*)?(?:has|have|was|is|had)\s+(?:been\s+)?(?:\w+\s+){0,2}(?:attack|scan|prob|flood|brute|spam|send|sent|infect|compromis|abus|seen|detected|caught|trying|tried|connect|hitting|report|listed|block|participat|running|hosting|observed|engag|perform)/i;
const TARGET_AFTER = /^\s*(?:\([^)]{0,40}\)\s*)?(?:was|were|has\s+been|is\s+being)\s+(?:\w+\s+){0,2}(?:attacked|scanned|probed|flooded|targeted|hit)/i;

/** The sentence-ish text before `index`, limited to the current line (and the end of the previous one). */
function before(text: string, index: number): string {
  const start = Math.max(0, index - 80);
  let s = text.slice(start, index);
  const nl = s.lastIndexOf('\n\n');
  if (nl >= 0) s = s.slice(nl + 2);
  return s.replace(/\s+/g, ' ');
}

function after(text: string, end: number): string {
  let s = text.slice(end, end + 80);
  const nl = s.indexOf('\n\n');
  if (nl >= 0) s = s.slice(0, nl);
  return s.replace(/\s+/g, ' ');
}

const MAX_MENTIONS = 20_000;

/** Every IPv4/IPv6 address in `text`, validated with ipaddr.js, with role hints from the surrounding words. */
export function findAddresses(text: string): AddressMention[] {
  const out = addressMentions(text);
  scoreRoles(text, out);
  return out;
}

/** Every IPv4/IPv6 address in `text`, validated with ipaddr.js, in text order, without role hints (all zero). */
export function addressMentions(text: string): AddressMention[] {
  const out: AddressMention[] = [];
  V4.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = V4.exec(text)) !== null && out.length < MAX_MENTIONS) {
    const addr = normalizeAddress(m[1]);
    if (!addr) continue;
    // "1.2.3.4.5.6" is an OID or a version string, not an address.
    if (/^\.\d/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 2))) continue;
    // "1.2.3.4:80", and tcpdump/argus write "1.2.3.4.80".
    const port = m[2] !== undefined && Number(m[2]) <= 65535 ? Number(m[2]) : undefined;
    out.push({ addr, index: m.index, end: m.index + m[0].length, port, accused: 0, target: 0 });
  }
  V6.lastIndex = 0;
  while ((m = V6.exec(text)) !== null && out.length < MAX_MENTIONS) {
    const cand = m[1];
    if (!cand.includes('::') && cand.split(':').length < 8) continue;
    if (/^[\d:]+$/.test(cand) && !cand.includes('::')) continue;
    const addr = normalizeAddress(cand);
    if (!addr || !addr.includes(':')) continue;
    const port = m[2] !== undefined && Number(m[2]) <= 65535 ? Number(m[2]) : undefined;
    out.push({ addr, index: m.index, end: m.index + m[0].length, port, accused: 0, target: 0 });
  }
  out.sort((a, b) => a.index - b.index);
  return out;
}

const ARROW = /^\s*(?:-+>|=+>|>|→|to)\s*$/;
const BACK_ARROW = /^\s*(?:<-+|<=+|<|←)\s*$/;

function scoreRoles(text: string, mentions: AddressMention[]): void {
  for (let i = 0; i < mentions.length; i++) {
    const a = mentions[i];
    const pre = before(text, a.index);
    const post = after(text, a.end);
    for (const re of ACCUSED_BEFORE) if (re.test(pre)) { a.accused += 2; break; }
    for (const re of TARGET_BEFORE) if (re.test(pre)) { a.target += 2; break; }
    if (ACCUSED_AFTER.test(post)) a.accused += 2;
    if (TARGET_AFTER.test(post)) a.target += 2;
    // "X -> Y": the arrow fixes both roles; "to" only between two addresses on one line.
    const b = mentions[i + 1];
    if (b) {
      const between = text.slice(a.end, b.index);
      if (between.length <= 12 && !between.includes('\n')) {
        if (ARROW.test(between)) {
          a.arrow = 'src'; a.peer = b.addr;
          b.arrow = 'dst'; b.peer = a.addr;
        } else if (BACK_ARROW.test(between)) {
          a.arrow = 'dst'; a.peer = b.addr;
          b.arrow = 'src'; b.peer = a.addr;
        }
      }
    }
  }
}
