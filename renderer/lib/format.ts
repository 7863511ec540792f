/** Display helpers. Times in results are microseconds since the epoch, UTC. */
import { utcFields, utcStamp } from '../../analysis/util/utc';

/** "2025-12-18 00:40:01.123" (UTC, stated once per view); `withMs` false drops the fraction. */
export function formatUtc(tsMicros: number | undefined, withMs = true): string {
  if (tsMicros === undefined || !Number.isFinite(tsMicros)) return '—';
  return utcStamp(tsMicros, withMs ? 'ms' : 's');
}

/** "00:40:01" (UTC), for chart ticks. */
export function formatClock(tsMicros: number, withSeconds = true): string {
  const { time } = utcFields(tsMicros);
  return withSeconds ? time : time.slice(0, 5);
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US');
}

/** "3 h 12 min", "42 s", "850 ms". */
export function formatDuration(micros: number): string {
  const s = micros / 1e6;
  if (s < 1) return `${Math.round(micros / 1000)} ms`;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m - h * 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "2025-12-18 00:40:01 – 00:52:13 UTC" for an evidence span. */
export function formatSpan(first: number | undefined, last: number | undefined): string {
  if (first === undefined || last === undefined) return 'no time stamps';
  const a = formatUtc(first, false);
  const b = formatUtc(last, false);
  const sameDay = a.slice(0, 10) === b.slice(0, 10);
  return `${a} – ${sameDay ? b.slice(11) : b} UTC`;
}

/** "+1 h", "−30 min", "+42 s": the clock offset between the complaint and our evidence. */
export function formatOffset(seconds: number): string {
  if (!seconds) return '0 s';
  const sign = seconds > 0 ? '+' : '−';
  const a = Math.abs(seconds);
  if (a % 3600 === 0) return `${sign}${a / 3600} h`;
  if (a >= 3600) return `${sign}${(a / 3600).toFixed(2).replace(/\.?0+$/, '')} h`;
  if (a % 60 === 0) return `${sign}${a / 60} min`;
  return `${sign}${a} s`;
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * What a confidence is in. A decided verdict's is the confidence in that
 * verdict. An inconclusive verdict's is how sure the weighing is that the
 * evidence settles nothing (highest, 80%, when nothing leans either way), so
 * "Inconclusive" beside "80% confidence" read as a contradiction.
 */
export function confidenceCaption(verdict: string): string {
  return verdict === 'inconclusive' ? 'sure nothing settles it' : 'confidence';
}

/** "95% confidence"; "80% sure nothing settles it". */
export function confidenceText(verdict: string, confidence: number): string {
  return `${percent(confidence)} ${confidenceCaption(verdict)}`;
}

/**
 * A verdict for a badge: "Compromise · 95%". An inconclusive one stands
 * alone: its percentage is no confidence in a verdict, and beside the word it
 * would read as one.
 */
export function verdictBadge(verdict: string, confidence: number | null | undefined): string {
  const label = VERDICT_LABEL[verdict] ?? verdict;
  return verdict === 'inconclusive' || confidence === null || confidence === undefined ? label : `${label} · ${percent(confidence)}`;
}

/** Where an evidence row sits: "www-border.pcap #1234" or "fw.log line 88". */
export function evidenceWhere(r: { file: string; packet?: number; line?: number; offset: number }): string {
  if (r.packet !== undefined) return `${r.file} #${r.packet}`;
  if (r.line !== undefined) return `${r.file} line ${r.line}`;
  return `${r.file} @${r.offset}`;
}

/** The excerpt without its leading UTC time stamp (shown in its own column). */
export function excerptBody(excerpt: string): string {
  return excerpt.replace(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? /, '');
}

export const VERDICT_LABEL: Record<string, string> = {
  backscatter: 'Backscatter',
  legitimate: 'Legitimate traffic',
  compromise: 'Compromise',
  inconclusive: 'Inconclusive',
};

export const VERDICT_EXPLAINER: Record<string, string> = {
  backscatter: 'Our host answered packets with a forged source address. It did not attack the complainant.',
  legitimate: 'Our host was answering connections the complainant\u2019s side opened.',
  compromise: 'Our host originated the reported traffic. Act on the customer.',
  inconclusive: 'The evidence does not decide the case. Ask for more before replying.',
};

/** "2025-12-18 00:40 UTC" for a time in ms since the epoch (the store's times). */
export function formatDateMs(ms: number | null | undefined, withTime = true): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = formatUtc(ms * 1000, false);
  return withTime ? `${s.slice(0, 16)} UTC` : s.slice(0, 10);
}

/** "3 min ago", "2 days ago", for the store's ms times; `now` for tests. */
export function formatAgo(ms: number, now = Date.now()): string {
  const s = Math.round((now - ms) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  const d = Math.round(s / 86_400);
  if (d < 60) return `${d} day${d === 1 ? '' : 's'} ago`;
  return formatDateMs(ms, false);
}
