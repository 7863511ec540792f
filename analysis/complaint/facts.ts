import type { Activity, ComplaintAttachment } from './complaint';

/** A time stamp a structured report carries, with the zone its format documents (Shadowserver: UTC). */
export interface FactTime {
  text: string;
  /** Zone the format defines for zone-less values; the value's own zone wins. */
  zone?: string;
}

/**
 * What one machine-readable part of a complaint (ARF feedback report, X-ARF
 * YAML or JSON, a Shadowserver CSV) states. Plain data; merged by
 * parse-complaint with what the prose says.
 */
export interface ReportFacts {
  format: string;
  accused: string[];
  targets: string[];
  sourcePorts: number[];
  destinationPorts: number[];
  protocol?: 'tcp' | 'udp' | 'icmp';
  /** The report's own type, mapped; authoritative over keywords when set. */
  activity?: Activity;
  times: FactTime[];
  reporter?: { address?: string; name?: string; organisation?: string };
  count?: number;
  sensor?: string;
  /** Fields as written, for the reply and the operator. */
  fields: Record<string, string>;
  attachments: ComplaintAttachment[];
  warnings: string[];
}

export function emptyFacts(format: string): ReportFacts {
  return { format, accused: [], targets: [], sourcePorts: [], destinationPorts: [], times: [], fields: {}, attachments: [], warnings: [] };
}

export function addUnique<T>(list: T[], value: T | undefined | null): void {
  if (value === undefined || value === null) return;
  if (!list.includes(value)) list.push(value);
}

export function toPort(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,5}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

export function toProtocol(v: unknown): 'tcp' | 'udp' | 'icmp' | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'tcp' || t === '6') return 'tcp';
  if (t === 'udp' || t === '17') return 'udp';
  if (t === 'icmp' || t === '1') return 'icmp';
  return undefined;
}

/** Decode base64 without Node's Buffer (analysis/ has no Node built-ins). */
export function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/[\s\r\n]+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) return null;
  try {
    const bin = atob(clean.replace(/-/g, '+').replace(/_/g, '/'));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
