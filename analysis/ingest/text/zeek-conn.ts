/**
 * Zeek conn.log, in the ASCII writer's TSV form (header lines `#separator \x09`,
 * `#fields ts uid id.orig_h ...`, `#types ...`; docs.zeek.org "Zeek Logs" / conn.log)
 * and as JSON lines (`LogAscii::use_json`). One connection summary per line.
 *
 * The #fields header fixes the columns: it is kept in the parser state so
 * logs with extra columns (_node_name, ip_proto, community_id) read the same.
 * Without a header we assume the stock conn.log column order.
 */
import type { NetEvent } from '../../events/event';
import { IPPROTO_ICMP, IPPROTO_ICMPV6 } from '../../events/event';
import type { LineContext, LineParser } from '../reader';
import { baseEvent, epochToMicros, exactTime, isIP, num, offsetMinutes, portNumber, protoNumber, setAddrs, type LineAt } from './common';
import { fractionToMicros } from '../../util/time';

const DEFAULT_FIELDS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration',
  'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history',
  'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents',
];

interface Layout {
  sep: string;
  unset: string;
  empty: string;
  fields: string[];
  index: Record<string, number>;
}

const KEY = 'zeekLayout';
const TSV_ROW = /^(?:[^\t]*\t)*\d{9,10}\.\d{1,6}\t[^\t]*\t[0-9a-fA-F:.]+\t\d+\t[0-9a-fA-F:.]+\t\d+\t(?:tcp|udp|icmp|unknown_transport)\t/;
const JSON_ROW = /^\s*\{.*"id\.orig_h"\s*:/;
const ISO_TS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/;

export const zeekConnParser: LineParser = {
  format: 'zeek-conn',
  match(line) {
    if (line.startsWith('#')) {
      // These headers name Zeek itself; #fields with id.orig_h is a conn-like log.
      if (line.startsWith('#fields') && line.includes('id.orig_h')) return line.includes('conn_state') ? 1 : 0.6;
      return -1;
    }
    if (JSON_ROW.test(line)) return line.includes('"conn_state"') || line.includes('"history"') ? 0.97 : 0.6;
    if (line.includes('\t')) {
      if (TSV_ROW.test(line)) return 0.95;
      // Btest baselines mask the time stamp as XXXXXXXXXX.XXXXXX.
      if (/^X{10}\.X{6}\t/.test(line)) return 0.9;
    }
    return 0;
  },
  parse(line, at, ctx) {
    if (line.startsWith('#')) {
      header(line, ctx);
      return null;
    }
    if (line.trimStart().startsWith('{')) return parseJson(line, at, ctx);
    return parseTsv(line, at, ctx);
  },
};

function layout(ctx: LineContext): Layout {
  let l = ctx.state[KEY] as Layout | undefined;
  if (!l) {
    l = { sep: '\t', unset: '-', empty: '(empty)', fields: DEFAULT_FIELDS, index: indexOf(DEFAULT_FIELDS) };
    ctx.state[KEY] = l;
  }
  return l;
}

function indexOf(fields: string[]): Record<string, number> {
  const idx: Record<string, number> = {};
  fields.forEach((f, i) => { idx[f] = i; });
  return idx;
}

function header(line: string, ctx: LineContext): void {
  const l = layout(ctx);
  if (line.startsWith('#separator ')) {
    // Written escaped: "#separator \x09".
    const v = line.slice(11).trim();
    l.sep = v.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return;
  }
  const sp = line.indexOf(l.sep);
  if (sp < 0) return;
  const key = line.slice(1, sp);
  const rest = line.slice(sp + l.sep.length);
  if (key === 'fields') {
    l.fields = rest.split(l.sep);
    l.index = indexOf(l.fields);
  } else if (key === 'unset_field') l.unset = rest;
  else if (key === 'empty_field') l.empty = rest;
}

function parseTsv(line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const l = layout(ctx);
  const cols = line.split(l.sep);
  if (cols.length < 7) return null;
  const get = (name: string): string | undefined => {
    const i = l.index[name];
    if (i === undefined) return undefined;
    const v = cols[i];
    return v === undefined || v === l.unset || v === l.empty ? undefined : v;
  };
  const tsText = get('ts');
  let ts: number;
  if (tsText && /^\d+(?:\.\d+)?$/.test(tsText)) ts = epochToMicros(tsText);
  else {
    if (!/^X+\.X+$/.test(tsText ?? '')) return weird(ctx, at, 'zeek_bad_row', 'conn.log row without a time stamp');
    // Masked test baseline: the record is real, its time is not.
    ctx.diag.weird({ code: 'zeek_masked_ts', file: at.file, line: at.line, offset: at.offset, message: 'conn.log time stamp masked (XXXXXXXXXX.XXXXXX); time unknown' });
    ts = 0;
  }
  return build(line, at, ctx, ts, get);
}

function parseJson(line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return weird(ctx, at, 'zeek_bad_json', 'conn.log JSON line does not parse');
  }
  if (typeof o !== 'object' || o === null) return null;
  const get = (name: string): string | undefined => {
    const v = o[name];
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? v.join(',') : String(v);
  };
  const t = o.ts;
  let ts: number;
  if (typeof t === 'number') ts = Math.round(t * 1e6);
  else if (typeof t === 'string') {
    // LogAscii::json_timestamps = JSON::TS_ISO8601
    const m = ISO_TS.exec(t);
    if (!m) return weird(ctx, at, 'zeek_bad_row', 'conn.log JSON ts not understood');
    ts = exactTime({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6], micros: fractionToMicros(m[7]) }, offsetMinutes(m[8]) ?? 0);
  } else return weird(ctx, at, 'zeek_bad_row', 'conn.log JSON line without ts');
  return build(line, at, ctx, ts, get);
}

function build(line: string, at: LineAt, ctx: LineContext, ts: number, get: (name: string) => string | undefined): NetEvent | null {
  const oh = get('id.orig_h');
  const rh = get('id.resp_h');
  if (!oh || !rh || !isIP(oh) || !isIP(rh)) return weird(ctx, at, 'zeek_bad_row', 'conn.log row without valid addresses');
  const ev = baseEvent('flow', { ts, inferred: false }, line, at);
  setAddrs(ev, oh, rh);
  const proto = get('proto');
  ev.proto = (proto ? protoNumber(proto) : undefined) ?? num(get('ip_proto'));
  // Zeek writes "icmp" for ICMPv6 too.
  if (ev.proto === IPPROTO_ICMP && ev.ipVersion === 6) ev.proto = IPPROTO_ICMPV6;
  const op = portNumber(get('id.orig_p'));
  const rp = portNumber(get('id.resp_p'));
  if (ev.proto === IPPROTO_ICMP || ev.proto === IPPROTO_ICMPV6) {
    // Zeek puts the ICMP type in orig_p and the code in resp_p.
    if (op !== undefined) ev.icmp = { type: op, code: rp ?? 0 };
  } else {
    if (op !== undefined) ev.sport = op;
    if (rp !== undefined) ev.dport = rp;
  }
  // IP-level byte counts include headers, as argus counts; payload counts are the fallback.
  const dur = num(get('duration'));
  ev.flow = {
    pktsOut: num(get('orig_pkts')) ?? 0,
    pktsIn: num(get('resp_pkts')) ?? 0,
    bytesOut: num(get('orig_ip_bytes')) ?? num(get('orig_bytes')) ?? 0,
    bytesIn: num(get('resp_ip_bytes')) ?? num(get('resp_bytes')) ?? 0,
  };
  const state = get('conn_state');
  if (state) ev.flow.state = state;
  const history = get('history');
  if (history) ev.flow.history = history;
  if (dur !== undefined) ev.flow.durationUs = Math.round(dur * 1e6);
  const service = get('service');
  const uid = get('uid');
  if (service || uid) ev.message = [uid, service].filter(Boolean).join(' ');
  return ev;
}

function weird(ctx: LineContext, at: LineAt, code: string, message: string): null {
  ctx.diag.weird({ code, file: at.file, line: at.line, offset: at.offset, message });
  return null;
}
