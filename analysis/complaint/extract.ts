import type { Activity } from './complaint';

/** Port facts stated in prose. */
export interface PortFacts {
  source: number[];
  destination: number[];
  /** Ranges as written ("ports 1-1024"), kept whole. */
  ranges: Array<{ from: number; to: number; side: 'source' | 'destination' }>;
}

const validPort = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 65535;

/** Ranges up to this size are also listed port by port. */
const EXPAND_RANGE = 1024;

function pushUnique(list: number[], n: number): void {
  if (validPort(n) && !list.includes(n) && list.length < 10_000) list.push(n);
}

/**
 * Ports written in words: "source port 80", "src port: 53", "SPT=80",
 * "port 770", "ports 22, 23 and 80", "ports 1-1024", "tcp/445", "770/udp".
 * A number before "ports" is a count ("137 ports"), not a port.
 */
export function extractPorts(text: string): PortFacts {
  const facts: PortFacts = { source: [], destination: [], ranges: [] };
  const list = '(\\d{1,5}(?:\\s*(?:-|–|to|through)\\s*\\d{1,5})?(?:\\s*(?:,|and|&|/|or)\\s*\\d{1,5}(?:\\s*(?:-|–|to|through)\\s*\\d{1,5})?)*)';
  const re = new RegExp(
    `\\b(?:(source|src|from|originating|sending|local)[\\s_-]*|(destination|dest|dst|target(?:ed)?|remote|to|on|at|against)[\\s_-]*)?(?:(?:tcp|udp)[\\s/-]*)?ports?(?:\\s*(?:number|no\\.?|#))?\\s*(?:[:=]\\s*|\\s+)(?:(?:tcp|udp)\\s*\\/?\\s*)?${list}(?!\\.\\d|\\d|\\s*(?:ports|seconds|secs|minutes|times|packets|hosts|attempts|connections|%))`,
    'gi',
  );
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const side: 'source' | 'destination' = m[1] && !/^local$/i.test(m[1]) ? 'source' : 'destination';
    addList(facts, m[3], side);
  }
  // Firewall style: SPT=80 DPT=1234, sport=80, dport 22.
  const kv = /\b(SPT|DPT|sport|dport|src_port|dst_port|srcport|dstport|s_port|d_port)\s*[=:]\s*(\d{1,5})\b/gi;
  while ((m = kv.exec(text)) !== null) {
    const side = /^s/i.test(m[1]) ? 'source' : 'destination';
    pushUnique(side === 'source' ? facts.source : facts.destination, Number(m[2]));
  }
  // "tcp/445", "445/tcp", "udp:770".
  const slash = /\b(?:(tcp|udp)\s*[/:]\s*(\d{1,5})|(\d{1,5})\s*\/\s*(tcp|udp))\b/gi;
  while ((m = slash.exec(text)) !== null) {
    const n = Number(m[2] ?? m[3]);
    const pre = text.slice(Math.max(0, m.index - 20), m.index);
    const side = /\b(?:source|src|from)\s*(?:port)?\s*$/i.test(pre) ? facts.source : facts.destination;
    pushUnique(side, n);
  }
  return facts;
}

function addList(facts: PortFacts, list: string, side: 'source' | 'destination'): void {
  const target = side === 'source' ? facts.source : facts.destination;
  for (const piece of list.split(/\s*(?:,|and|&|\/|or)\s*/i)) {
    const r = /^(\d{1,5})\s*(?:-|–|to|through)\s*(\d{1,5})$/i.exec(piece.trim());
    if (r) {
      const from = Number(r[1]);
      const to = Number(r[2]);
      if (!validPort(from) || !validPort(to) || to < from) continue;
      facts.ranges.push({ from, to, side });
      if (to - from < EXPAND_RANGE) {
        // A set beside the list: pushUnique's scan of the list per port made "ports 1-1023" a million comparisons.
        const have = new Set(target);
        for (let p = from; p <= to && target.length < 10_000; p++) if (!have.has(p)) { have.add(p); target.push(p); }
      } else { pushUnique(target, from); pushUnique(target, to); }
      continue;
    }
    const n = Number(piece.trim());
    if (piece.trim() !== '') pushUnique(target, n);
  }
}

/** "udp", "tcp" or "icmp" when the complaint names one clearly. */
export function extractProtocol(text: string): 'tcp' | 'udp' | 'icmp' | undefined {
  const count = (re: RegExp): number => (text.match(re) ?? []).length;
  const tcp = count(/\b(?:tcp|syn|ack|rst|fin|syn[-/+]?ack|PROTO=TCP)\b/gi);
  const udp = count(/\b(?:udp|PROTO=UDP)\b/gi);
  const icmp = count(/\b(?:icmp|ping|echo[- ]request|PROTO=ICMP)\b/gi);
  const best = Math.max(tcp, udp, icmp);
  if (best === 0) return undefined;
  if (udp === best) return 'udp';
  if (tcp === best) return 'tcp';
  return 'icmp';
}

const ACTIVITY_WORDS: Array<[Activity, RegExp]> = [
  ['flood', /\b(?:syn[- ]?flood(?:ing)?|flood(?:ing|ed|s)?|d?dos(?:[- ]attack)?|denial[- ]of[- ]service|amplification|reflection attack|volumetric)\b/gi],
  ['sweep', /\b(?:(?:ping|host|address|network|ip)[- ]?sweep(?:s|ing)?|sweep(?:s|ing)?)\b/gi],
  ['port-scan', /\b(?:port[- ]?scan(?:s|ning|ned|ner)?|portscan\w*|scan(?:s|ning|ned|ner)?|probe[sd]?|probing|reconnaissance|ports? (?:were |was )?(?:probed|scanned))\b/gi],
  ['brute-force', /\b(?:brute[- ]?forc(?:e|ing|ed)|login[- ]attack|login attempts?|failed (?:logins?|passwords?|authentication)|authentication failures?|password (?:guessing|attack)|dictionary attack|invalid user|sshd?|ftp login|credential stuffing|loginattack|bruteforce)\b/gi],
  ['worm', /\b(?:worms?|malware|botnet|bots?|infected|infection|trojan|virus|drone|c&c|c2|command and control|compromised|zeroaccess|conficker|mirai|blaster|backdoor|malicious code)\b/gi],
  ['spam', /\b(?:spam(?:ming|mer|s)?|phish(?:ing)?|unsolicited|bulk (?:e-?)?mail|uce|ube|feedback-type|junk mail)\b/gi],
];

/**
 * What the complaint accuses us of, by keywords. The subject weighs more
 * than the body; ties go to the more specific activity (flood before scan).
 */
export function classifyActivity(subject: string, body: string, hint?: Activity): Activity {
  const score = new Map<Activity, number>();
  for (const [activity, re] of ACTIVITY_WORDS) {
    const s = (subject.match(re) ?? []).length * 4 + Math.min((body.match(re) ?? []).length, 20);
    if (s > 0) score.set(activity, s);
  }
  if (hint && hint !== 'other') score.set(hint, (score.get(hint) ?? 0) + 10);
  let best: Activity = 'other';
  let bestScore = 0;
  for (const [activity] of ACTIVITY_WORDS) {
    const s = score.get(activity) ?? 0;
    if (s > bestScore) { best = activity; bestScore = s; }
  }
  return best;
}

/** Map a report type of a structured format (X-ARF, Shadowserver, ARF) to an activity. */
export function activityFromType(type: string | undefined): Activity | undefined {
  if (!type) return undefined;
  const t = type.toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  if (/\b(?:ddos|dos|flood|amplification)\b/.test(t)) return 'flood';
  if (/\bsweep\b/.test(t)) return 'sweep';
  if (/\b(?:port ?scan|portscan|scan|reconnaissance|probe)\b/.test(t)) return 'port-scan';
  if (/\b(?:login ?attack|loginattack|brute ?force|bruteforce|ssh|ftp|login|compromised ?account|potentiallycompromisedaccount)\b/.test(t)) return 'brute-force';
  if (/\b(?:botnet|bot|drone|malware|worm|infected|infection|compromised|trojan|virus|c2|sinkhole)\b/.test(t)) return 'worm';
  if (/\b(?:spam|phishing|phish|fbl|harvesting|regbot|comment ?spam)\b/.test(t)) return 'spam';
  if (/\b(?:open ?service|openservice|vulnerab|open ?resolver|blocklist|scraping)\b/.test(t)) return 'other';
  return undefined;
}

/** The first number the complaint states as a count of ports, attempts or connections. */
export function extractClaimedCount(text: string): number | undefined {
  const re = /(?<![\d.:/-])\b(\d{1,7})[ \t]+(?:(?:different|distinct|unique|tcp|udp|privileged|unprivileged|destination|target)[ \t]+)?(?:(?:failed|login|connection|ssh|authentication|unsuccessful)[ \t]+){0,2}(?:ports?|attempts?|logins?|connections?|probes?|packets|requests|hosts)\b/gi;
  const m = re.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}

const SENSORS: Array<[string, RegExp]> = [
  ['snort', /\bsnort\b/i],
  ['suricata', /\bsuricata\b/i],
  ['scanlogd', /\bscanlogd\b/i],
  ['portsentry', /\bportsentry\b/i],
  ['psad', /\bpsad\b/i],
  ['fail2ban', /\bfail2ban\w*/i],
  ['ipcop', /\bipcop\b/i],
  ['zeek', /\b(?:zeek|bro[- ]?ids)\b/i],
];

/** The sensor that fired, when the complaint names one; the earliest mention wins. */
export function extractSensor(text: string): string | undefined {
  let best: string | undefined;
  let at = Infinity;
  for (const [name, re] of SENSORS) {
    const m = re.exec(text);
    if (m && m.index < at) { best = name; at = m.index; }
  }
  return best;
}
