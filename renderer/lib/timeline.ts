import { utcStamp } from '../../analysis/util/utc';
import type { AnalysisResult } from './types';

/** Which way a packet went, seen from our (the accused) side. */
export type Direction = 'out' | 'in' | 'other';

/** What kind of record a point is, for its colour and shape. */
export type PointKind = 'syn' | 'synack' | 'rst' | 'fin' | 'ack' | 'udp' | 'icmp' | 'log' | 'other';

export interface TimelinePoint {
  ts: number;
  direction: Direction;
  kind: PointKind;
  excerpt: string;
  where: string;
  finding: string;
}

export interface ComplaintMark {
  /** As the complaint wrote it, converted with its zone (microseconds UTC). */
  written: number;
  /** On our evidence's clock: written minus the offset found. */
  adjusted: number;
  text: string;
}

export interface TimelineData {
  points: TimelinePoint[];
  complaint: ComplaintMark[];
  offsetSeconds: number;
  /** Our evidence's span (microseconds), when known. */
  coverage?: { first: number; last: number };
  domain: [number, number];
}

export const KIND_LABEL: Record<PointKind, string> = {
  syn: 'SYN',
  synack: 'SYN-ACK',
  rst: 'RST',
  fin: 'FIN',
  ack: 'ACK / data',
  udp: 'UDP',
  icmp: 'ICMP',
  log: 'Log line / alert',
  other: 'Other',
};

export const DIRECTION_LABEL: Record<Direction, string> = {
  out: 'Ours → them',
  in: 'Them → ours',
  other: 'Other',
};

/** "a.b.c.d:port > [v6]:port" as the engine's excerpts write them (IPv6 always bracketed). */
const ADDR = String.raw`(\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]+)(?::(\d+))?`;
const ENDPOINTS = new RegExp(`${ADDR} > ${ADDR}`, 'i');

function host(s: string): string {
  return s.startsWith('[') ? s.slice(1, -1) : s;
}

/** Reads the direction and kind of a record back from its one-line excerpt. */
export function classifyExcerpt(excerpt: string, accused: readonly string[]): { direction: Direction; kind: PointKind } {
  const ours = new Set(accused);
  let direction: Direction = 'other';
  const m = ENDPOINTS.exec(excerpt);
  if (m) {
    const src = host(m[1]);
    const dst = host(m[3]);
    if (ours.has(src)) direction = 'out';
    else if (ours.has(dst)) direction = 'in';
  } else {
    // Log lines name addresses in their own syntax: the first address mentioned is usually the source.
    const first = [...accused].map((a) => ({ a, i: excerpt.indexOf(a) })).filter((x) => x.i >= 0).sort((x, y) => x.i - y.i)[0];
    if (first) direction = 'out';
  }
  return { direction, kind: kindOf(excerpt) };
}

function kindOf(excerpt: string): PointKind {
  const tcp = /\btcp \[([A-Z.]*)\]/.exec(excerpt);
  if (tcp) {
    const f = tcp[1];
    if (f.includes('R')) return 'rst';
    if (f.includes('S') && f.includes('.')) return 'synack';
    if (f.includes('S')) return 'syn';
    if (f.includes('F')) return 'fin';
    return 'ack';
  }
  if (/\bSYN-ACK\b|\bSYN\/ACK\b/i.test(excerpt)) return 'synack';
  if (/\bRST\b/.test(excerpt)) return 'rst';
  if (/\bSYN\b/.test(excerpt)) return 'syn';
  if (/\budp\b/i.test(excerpt)) return 'udp';
  if (/\bicmp/i.test(excerpt)) return 'icmp';
  if (!/^\d{4}-\d{2}-\d{2} /.test(excerpt)) return 'log';
  return 'other';
}

function where(r: { file: string; packet?: number; line?: number; offset: number }): string {
  if (r.packet !== undefined) return `${r.file} #${r.packet}`;
  if (r.line !== undefined) return `${r.file} line ${r.line}`;
  return `${r.file} @${r.offset}`;
}

/**
 * The timeline of a result: every quoted evidence record (deduplicated across
 * findings) by direction and kind, and the complaint's times before and after
 * the clock offset, over one time domain.
 */
export function buildTimeline(result: AnalysisResult): TimelineData {
  const seen = new Set<string>();
  const points: TimelinePoint[] = [];
  for (const f of result.findings) {
    for (const r of f.evidence) {
      if (r.ts === undefined || !Number.isFinite(r.ts)) continue;
      const key = `${r.file}|${r.packet ?? ''}|${r.line ?? ''}|${r.offset}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = classifyExcerpt(r.excerpt, result.accused);
      points.push({ ts: r.ts, ...c, excerpt: r.excerpt, where: where(r), finding: f.summary });
    }
  }
  points.sort((a, b) => a.ts - b.ts);
  const offsetSeconds = result.timeOffsetSeconds || 0;
  const complaint = (result.complaint.times ?? [])
    .filter((t) => Number.isFinite(t.ts))
    .map((t) => ({ written: t.ts, adjusted: t.ts - offsetSeconds * 1e6, text: t.text }));
  const cov = result.coverage;
  const coverage = cov.firstTs !== undefined && cov.lastTs !== undefined ? { first: cov.firstTs, last: cov.lastTs } : undefined;

  const xs = [
    ...points.map((p) => p.ts),
    ...complaint.flatMap((c) => [c.written, c.adjusted]),
    ...(coverage ? [coverage.first, coverage.last] : []),
  ];
  let lo = xs.length ? Math.min(...xs) : 0;
  let hi = xs.length ? Math.max(...xs) : 1;
  if (hi - lo < 2e6) { lo -= 30e6; hi += 30e6; }
  const pad = (hi - lo) * 0.04;
  return { points, complaint, offsetSeconds, coverage, domain: [lo - pad, hi + pad] };
}

const DAY = 86_400;
/** Tick steps in seconds: seconds and minutes to weeks, then months (30 days), quarters and years. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY];

/**
 * "Nice" tick positions over a microsecond domain: whole seconds, minutes,
 * hours, days, weeks, months or years, never more than `target` + 1 of them.
 * Evidence far from the complaint's time (a wrong year, a capture from last
 * month) makes a long domain; with weeks as the longest step it got up to 50
 * ticks, whose labels overprinted.
 */
export function timeTicks(domain: [number, number], target = 6): number[] {
  const span = (domain[1] - domain[0]) / 1e6;
  let step = STEPS.find((s) => span / s <= target);
  if (step === undefined) {
    // Decades and more: 1, 2 or 5 × 10^k years.
    const years = span / (365 * DAY) / target;
    const p = 10 ** Math.floor(Math.log10(years));
    step = ([1, 2, 5, 10].map((m) => m * p).find((y) => y >= years) ?? 10 * p) * 365 * DAY;
  }
  const stepUs = step * 1e6;
  const first = Math.ceil(domain[0] / stepUs) * stepUs;
  const ticks: number[] = [];
  for (let t = first; t <= domain[1]; t += stepUs) ticks.push(t);
  return ticks;
}

/**
 * A tick's label for a domain of `spanSeconds`: the clock within a day or
 * two ("00:40", "00:40:05" under ten minutes), day and time within two
 * months ("12-18 00:40"), the date beyond ("2025-12-18"), so a label names
 * the year once the axis may cross one.
 */
export function tickLabel(t: number, spanSeconds: number): string {
  const stamp = utcStamp(t, 's');
  if (spanSeconds > 60 * DAY) return stamp.slice(0, 10);
  if (spanSeconds > 2 * DAY) return stamp.slice(5, 16);
  return spanSeconds < 600 ? stamp.slice(11, 19) : stamp.slice(11, 16);
}

/** A sentence describing the chart, for screen readers and the figure caption. */
export function describeTimeline(t: TimelineData): string {
  const counts = new Map<string, number>();
  for (const p of t.points) {
    const k = `${DIRECTION_LABEL[p.direction].toLowerCase()} ${KIND_LABEL[p.kind]}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`);
  const evidence = t.points.length
    ? `${t.points.length} quoted evidence records (${parts.join(', ')}) from ${fmt(t.points[0].ts)} to ${fmt(t.points[t.points.length - 1].ts)} UTC`
    : 'no quoted evidence records';
  const complaint = t.complaint.length
    ? `The complaint names ${t.complaint.length} time${t.complaint.length > 1 ? 's' : ''}, the first ${t.complaint[0].text}${t.offsetSeconds ? `, which is ${fmt(t.complaint[0].adjusted)} UTC on our clock after the ${t.offsetSeconds / 3600} h offset` : ''}.`
    : 'The complaint names no time.';
  return `Timeline: ${evidence}. ${complaint}`;
}

function fmt(ts: number): string {
  return utcStamp(ts);
}
