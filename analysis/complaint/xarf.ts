import { parse as parseYaml } from 'yaml';
import { normalizeAddress } from '../util/net';
import { activityFromType } from './extract';
import { addUnique, decodeBase64, emptyFacts, toPort, toProtocol, type ReportFacts } from './facts';

/**
 * X-ARF: 0.2 is a YAML block ("---", "Report-Type: login-attack",
 * "Source: 192.0.2.1", "Date: ...") in a text/plain part; v3 and v4 are
 * JSON documents (https://github.com/abusix/xarf). Shadowserver and
 * AbuseHub send CSV attachments with one row per event.
 */

const norm = (k: string): string => k.toLowerCase().replace(/[^a-z0-9]/g, '');

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString();
  return undefined;
}

function addIp(list: string[], v: unknown): boolean {
  const s = str(v);
  if (!s) return false;
  const a = normalizeAddress(s.replace(/\/(32|128)$/, ''));
  if (a) { addUnique(list, a); return true; }
  return false;
}

/** Keys of X-ARF 0.2 blocks that tell a YAML report from other "key: value" text. */
const XARF_KEYS = new Set(['reporttype', 'reportedfrom', 'sourcetype', 'source', 'category', 'schemaurl', 'reportid']);

const MAX_BLOCK_LINES = 200;

/**
 * Find X-ARF 0.2 YAML blocks in `text` ("---" then "Key: value" lines, up to a blank line or "...").
 * Only the lines after a "---" are looked at: a CSV of a million rows is searched, never split into a million strings.
 */
export function findXarfYamlBlocks(text: string): string[] {
  const blocks: string[] = [];
  const dashes = /^[^\S\r\n]*---[^\S\r\n]*\r?$/gm;
  let m: RegExpExecArray | null;
  while ((m = dashes.exec(text)) !== null) {
    const after = m.index + m[0].length;
    // Lines end at "\n" only (a lone "\r" or U+2028 does not end one, as for split(/\r?\n/)).
    if ((m.index > 0 && text[m.index - 1] !== '\n') || (after < text.length && text[after] !== '\n')) continue;
    let p = after + 1;
    const body: string[] = [];
    while (p <= text.length && body.length < MAX_BLOCK_LINES) {
      const nl = text.indexOf('\n', p);
      const end = nl < 0 ? text.length : nl;
      const l = text.slice(p, end).replace(/\r$/, '');
      if (l.trim() === '' || l.trim() === '...' || l.trim() === '---') break;
      if (!/^[\w.-]+\s*:(\s|$)/.test(l) && !/^\s+\S/.test(l)) break;
      body.push(l);
      p = end + 1;
    }
    const keys = body.map((l) => /^([\w.-]+)\s*:/.exec(l)?.[1]).filter((k): k is string => !!k).map(norm);
    if (keys.filter((k) => XARF_KEYS.has(k)).length >= 2 || (keys.includes('ip') && keys.length >= 3)) {
      blocks.push(body.join('\n'));
    }
    // The line that ended the block may open the next one.
    if (p > text.length) break;
    dashes.lastIndex = p;
  }
  return blocks;
}

/** "Key: value" lines without YAML's typing, for blocks YAML refuses. */
function parseKeyValues(block: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let last: string | undefined;
  for (const l of block.split('\n')) {
    const m = /^([\w.-]+)\s*:\s?(.*)$/.exec(l);
    if (m) { last = m[1]; out[last] = m[2].trim(); } else if (last && /^\s/.test(l)) out[last] = `${String(out[last])} ${l.trim()}`;
  }
  return out;
}

/** Map one X-ARF 0.2 YAML block to facts. */
export function parseXarfYaml(block: string): ReportFacts {
  const facts = emptyFacts('xarf-yaml');
  let doc: Record<string, unknown>;
  try {
    // Version 1.2 core schema keeps "Date: Fri, 31 Jan 2014 ..." a string; no custom tags, no aliases blow-up.
    const parsed: unknown = parseYaml(block, { schema: 'core', maxAliasCount: 10, prettyErrors: false });
    doc = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : parseKeyValues(block);
  } catch {
    doc = parseKeyValues(block);
    facts.warnings.push('X-ARF report is not valid YAML; read it as "key: value" lines');
  }
  let sourceType: string | undefined;
  let type: string | undefined;
  for (const [key, value] of Object.entries(doc)) {
    const s = str(value);
    if (s !== undefined) facts.fields[key] = s.slice(0, 500);
    switch (norm(key)) {
      case 'sourcetype': sourceType = s; break;
      case 'source': case 'sourceip': case 'ip': case 'srcip':
        addIp(facts.accused, value); break;
      case 'destination': case 'destinationip': case 'targetip': case 'dstip':
        addIp(facts.targets, value); break;
      case 'port': case 'destinationport': case 'dstport':
        addUnique(facts.destinationPorts, toPort(value)); break;
      case 'sourceport': case 'srcport':
        addUnique(facts.sourcePorts, toPort(value)); break;
      case 'reporttype': type = s; break;
      case 'category': case 'service':
        if (s && !facts.activity) facts.activity = activityFromType(s);
        break;
      case 'date': case 'firstseen': case 'lastseen': case 'occurrence': case 'time':
        if (s) facts.times.push({ text: s }); break;
      case 'protocol': case 'transportprotocol':
        facts.protocol ??= toProtocol(value); break;
      case 'reportedfrom':
        if (s) facts.reporter = { ...facts.reporter, address: s }; break;
      case 'useragent':
        if (s && /fail2ban/i.test(s)) facts.sensor = 'fail2ban'; break;
      case 'attempts': case 'count': case 'attemptcount': {
        const n = Number(s);
        if (Number.isFinite(n)) facts.count ??= n;
        break;
      }
    }
  }
  const fromType = activityFromType(type);
  if (fromType) facts.activity = fromType;
  if (sourceType && !/ip/i.test(sourceType) && facts.accused.length === 0) {
    facts.warnings.push(`X-ARF source is a ${sourceType}, not an address`);
  }
  return facts;
}

/** Flatten a JSON document to lower-cased dotted paths ("report.source.ip"), arrays kept whole. */
function flatten(v: unknown, prefix: string, out: Map<string, unknown>, depth = 0): void {
  if (depth > 8 || out.size > 5000) return;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      flatten(val, prefix ? `${prefix}.${norm(k)}` : norm(k), out, depth + 1);
    }
    return;
  }
  out.set(prefix, v);
}

/**
 * Values whose path ends with one of `keys` (as whole path segments), in the
 * order of `keys` and then of the document: JSON objects are unordered, so
 * which value comes first must not depend on how the sender ordered them.
 */
function pick(flat: Map<string, unknown>, keys: string[]): unknown[] {
  const found: unknown[] = [];
  const seen = new Set<string>();
  for (const k of keys) {
    const ks = k.split('.');
    for (const [path, value] of flat) {
      const segs = path.split('.');
      if (seen.has(path) || segs.length < ks.length || !ks.every((s, i) => segs[segs.length - ks.length + i] === s)) continue;
      seen.add(path);
      found.push(value);
    }
  }
  return found;
}

/** Is this parsed JSON an X-ARF v3 or v4 report? */
export function isXarfJson(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const keys = Object.keys(doc).map(norm);
  return keys.includes('xarfversion') || (keys.includes('report') && (keys.includes('reporterinfo') || keys.includes('version'))) ||
    (keys.includes('sourceidentifier') && keys.includes('category'));
}

/** Map an X-ARF v3/v4 JSON document to facts. */
export function parseXarfJson(doc: unknown): ReportFacts {
  const facts = emptyFacts('xarf-json');
  const flat = new Map<string, unknown>();
  flatten(doc, '', flat);
  for (const [k, v] of flat) {
    const s = str(v);
    if (s !== undefined && !/payload|data$/.test(k)) facts.fields[k] = s.slice(0, 500);
  }
  for (const v of pick(flat, ['sourceidentifier', 'sourceip', 'source.ip', 'attackerip', 'srcip', 'report.source'])) addIp(facts.accused, v);
  for (const v of pick(flat, ['destinationip', 'destination.ip', 'targetip', 'dstip'])) addIp(facts.targets, v);
  for (const v of pick(flat, ['sourceport', 'source.port', 'attackerport', 'srcport'])) addUnique(facts.sourcePorts, toPort(v));
  for (const v of pick(flat, ['destinationport', 'destination.port', 'dstport', 'portsscanned', 'ports'])) {
    if (Array.isArray(v)) for (const p of v.slice(0, 65536)) addUnique(facts.destinationPorts, toPort(p));
    else addUnique(facts.destinationPorts, toPort(v));
  }
  for (const v of pick(flat, ['protocol', 'transportprotocol'])) facts.protocol ??= toProtocol(v);
  const types = pick(flat, ['reporttype', 'type', 'category', 'attacktype']).map(str).filter((s): s is string => !!s);
  for (const t of types) {
    const a = activityFromType(t);
    if (a) { facts.activity = a; break; }
  }
  // A typed report we have no name for (open service, scraping, SQL injection) is "other", not whatever its prose mentions.
  if (!facts.activity && types.length > 0) facts.activity = 'other';
  for (const v of pick(flat, ['firstseen', 'date', 'timestamp', 'lastseen'])) {
    const s = str(v);
    if (s) facts.times.push({ text: s });
  }
  const org = str(pick(flat, ['reporterinfo.reporterorg', 'reporter.org'])[0]);
  const address = str(pick(flat, ['reporterinfo.reporterorgemail', 'reporterinfo.reportercontactemail', 'reporter.contact'])[0]);
  const name = str(pick(flat, ['reporterinfo.reportercontactname'])[0]);
  if (org || address || name) facts.reporter = { organisation: org, address, name };
  const count = pick(flat, ['attemptcount', 'packetcount', 'packetssent'])[0];
  if (typeof count === 'number') facts.count = count;
  const scanned = pick(flat, ['portsscanned'])[0];
  if (Array.isArray(scanned)) facts.count = scanned.length;
  collectSamples(doc, facts);
  if (facts.accused.length === 0) facts.warnings.push('X-ARF report names no source IP address');
  return facts;
}

/** Samples/evidence/attachments of X-ARF JSON become complaint attachments. */
function collectSamples(doc: unknown, facts: ReportFacts): void {
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6 || !v || typeof v !== 'object' || facts.attachments.length >= 50) return;
    if (Array.isArray(v)) { for (const x of v) visit(x, depth + 1); return; }
    const o = v as Record<string, unknown>;
    const lower = new Map(Object.entries(o).map(([k, val]) => [norm(k), val]));
    const payload = lower.get('payload') ?? lower.get('data');
    if (typeof payload === 'string') {
      const contentType = str(lower.get('contenttype')) ?? 'application/octet-stream';
      const b64 = lower.get('base64encoded');
      const bytes = b64 === false ? new TextEncoder().encode(payload) : decodeBase64(payload) ?? new TextEncoder().encode(payload);
      facts.attachments.push({ filename: `xarf-sample-${facts.attachments.length + 1}.${/text/.test(contentType) ? 'txt' : 'bin'}`, contentType, content: bytes });
      return;
    }
    for (const x of Object.values(o)) visit(x, depth + 1);
  };
  visit(doc, 0);
}

/** Split one CSV line (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') { cur += '"'; i++; } else quoted = false;
      } else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Does this text start with a Shadowserver/AbuseHub event CSV header? */
export function isEventCsv(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!first.includes(',')) return false;
  const cols = splitCsvLine(first).map(norm);
  return (cols.includes('timestamp') && (cols.includes('ip') || cols.includes('srcip'))) ||
    (cols.includes('srcip') && (cols.includes('eventdate') || cols.includes('eventtime')));
}

const MAX_CSV_ROWS = 100_000;

/**
 * Shadowserver reports ("timestamp","ip","port",...; times in UTC) and
 * AbuseHub CSV (src_ip, src_port, dst_ip, event_date, event_time). The
 * reported address is the accused; `reportName` (file name) tells a
 * scan_* open-service report from a drone/botnet report.
 */
export function parseEventCsv(text: string, reportName = ''): ReportFacts {
  const facts = emptyFacts('csv');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const cols = splitCsvLine(lines[0] ?? '').map(norm);
  const col = (...names: string[]): number => {
    for (const n of names) { const i = cols.indexOf(n); if (i >= 0) return i; }
    return -1;
  };
  const ip = col('ip', 'srcip', 'sourceip');
  const port = col('port', 'srcport', 'sourceport');
  const dip = col('dstip', 'destinationip');
  const dport = col('dstport', 'destinationport');
  const ts = col('timestamp');
  const date = col('eventdate');
  const time = col('eventtime');
  const proto = col('protocol');
  const type = col('reporttype', 'infection', 'type', 'tag');
  let rows = 0;
  const typeValues: string[] = [];
  for (let i = 1; i < lines.length && rows < MAX_CSV_ROWS; i++) {
    if (lines[i].trim() === '') continue;
    const f = splitCsvLine(lines[i]);
    rows++;
    if (ip >= 0) addIp(facts.accused, f[ip]);
    if (port >= 0) addUnique(facts.sourcePorts, toPort(f[port]));
    if (dip >= 0) addIp(facts.targets, f[dip]);
    if (dport >= 0) addUnique(facts.destinationPorts, toPort(f[dport]));
    if (proto >= 0) facts.protocol ??= toProtocol(f[proto]);
    if (type >= 0 && f[type] && typeValues.length < 20) typeValues.push(f[type]);
    if (ts >= 0 && f[ts] && facts.times.length < 1000) facts.times.push({ text: f[ts].trim(), zone: 'UTC' });
    else if (date >= 0 && f[date] && facts.times.length < 1000) {
      // A row cut short of its time column (hostile or damaged) is dated at the start of its day.
      const t = (time >= 0 ? f[time] : undefined) ?? '00:00:00';
      facts.times.push({ text: `${f[date].trim()} ${t.trim()}` });
    }
  }
  facts.count = rows;
  facts.fields.rows = String(rows);
  if (reportName) facts.fields.report = reportName;
  if (/(?:^|[^a-z])scan_/i.test(reportName) || /open.?resolver|amplif/i.test(reportName)) {
    // Shadowserver's scan_* reports list hosts *they* found with an open service.
    facts.activity = 'other';
    facts.fields.note = 'open service found by the reporter\'s own scan';
  } else {
    for (const t of [reportName, ...typeValues]) {
      const a = activityFromType(t);
      if (a) { facts.activity = a; break; }
    }
  }
  return facts;
}
