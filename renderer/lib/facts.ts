/**
 * A finding's facts as an operator reads them: the detectors keep them as
 * camelCase keys with raw values (microsecond stamps, shares in percent,
 * empty lists), which the finding's panel showed as they were ("ttlDistinct
 * 220", "alert", "levelsFiring"). Here each becomes a label and a value in
 * words, and a fact with nothing in it is left out.
 */
import { formatCount, formatUtc } from './format';

export interface FactRow {
  key: string;
  label: string;
  value: string;
}

/** Words the detectors abbreviate, as they are written in prose. */
const WORDS: Record<string, string> = {
  syn: 'SYN', syns: 'SYNs', ack: 'ACK', acks: 'ACKs', rst: 'RST', rsts: 'RSTs', fin: 'FIN', tcp: 'TCP', udp: 'UDP', icmp: 'ICMP',
  ttl: 'TTL', ttls: 'TTLs', http: 'HTTP', dns: 'DNS', ip: 'IP', ips: 'IPs', ssh: 'SSH', ntp: 'NTP', ids: 'IDs', ts: 'time', url: 'URL',
};

/** Labels that word order or a compound gets wrong when split mechanically. */
const LABELS: Record<string, string> = {
  synAcks: 'SYN-ACKs', answeredSynAck: 'Answered with SYN-ACK', answeredRst: 'Answered with RST', ttlDistinct: 'Distinct TTLs',
  firstTs: 'First', lastTs: 'Last', natLikely: 'Behind NAT (likely)', wouldFire: 'Their sensor would fire',
  exceedsScanlogdWeight: 'Over scanlogd\'s weight', claimedSensor: 'Sensor named in the complaint', scanTypeWords: 'Scan type',
};

/** The most list items shown before "and N more". */
const LIST_ITEMS = 6;

/** "ratePerSecond" → "Rate per second", "tcpPackets" → "TCP packets". */
export function factLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  // The value carries the unit ("19.7 s"): "medianIntervalSeconds" is "Median interval".
  if (/.Seconds$/.test(key)) return factLabel(key.slice(0, -'Seconds'.length));
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase().split(/\s+/).filter(Boolean)
    .map((w) => WORDS[w] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function numberValue(key: string, n: number): string {
  if (/Ts$/.test(key) && n > 1e14) return `${formatUtc(n)} UTC`;
  if (/Share$|Percent$/.test(key)) return `${n}%`;
  if (/Seconds$/.test(key)) return `${n} s`;
  return Number.isInteger(n) ? formatCount(n) : String(n);
}

/** The value in words, or null when there is nothing to show. */
export function factValue(key: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isFinite(v) ? numberValue(key, v) : null;
  if (typeof v === 'string') return v.trim() ? v.trim() : null;
  if (Array.isArray(v)) {
    const items = v.map((x) => factValue(key, x)).filter((x): x is string => x !== null);
    if (!items.length) return null;
    const rest = items.length - LIST_ITEMS;
    return `${items.slice(0, LIST_ITEMS).join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
  }
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      const s = factValue(k, x);
      const label = factLabel(k);
      return s === null ? null : `${/^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label} ${s}`;
    }).filter((x): x is string => x !== null);
    return parts.length ? parts.join(', ') : null;
  }
  return String(v);
}

/** The facts worth showing, labelled, in the detector's order; empty ones left out. */
export function factRows(facts: Record<string, unknown> | undefined, max = 10): FactRow[] {
  const rows: FactRow[] = [];
  for (const [key, v] of Object.entries(facts ?? {})) {
    const value = factValue(key, v);
    if (value === null) continue;
    rows.push({ key, label: factLabel(key), value });
    if (rows.length >= max) break;
  }
  return rows;
}
