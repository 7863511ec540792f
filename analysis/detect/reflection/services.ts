/**
 * UDP services that answer a small request with a larger reply and are
 * abused as reflectors (US-CERT TA14-017A, "UDP-Based Amplification
 * Attacks", whose bandwidth amplification factors are quoted here), and
 * what their requests say when the first bytes are at hand.
 */

export interface Service {
  name: string;
  /** TA14-017A's bandwidth amplification factor, as it states it. */
  known?: string;
}

export const SERVICES = new Map<number, Service>([
  [17, { name: 'QOTD', known: '140.3' }],
  [19, { name: 'CharGEN', known: '358.8' }],
  [53, { name: 'DNS', known: '28 to 54' }],
  [69, { name: 'TFTP', known: '60' }],
  [111, { name: 'Portmap', known: '7 to 28' }],
  [123, { name: 'NTP', known: '556.9' }],
  [137, { name: 'NetBIOS', known: '3.8' }],
  [161, { name: 'SNMP', known: '6.3' }],
  [389, { name: 'CLDAP', known: '56 to 70' }],
  [520, { name: 'RIPv1', known: '131.24' }],
  [1900, { name: 'SSDP', known: '30.8' }],
  [3283, { name: 'ARMS', known: '35.5' }],
  [3702, { name: 'WS-Discovery', known: '10 to 500' }],
  [5353, { name: 'mDNS', known: '2 to 10' }],
  [5683, { name: 'CoAP', known: '10 to 50' }],
  [11211, { name: 'memcached', known: '10,000 to 51,000' }],
]);

export function serviceName(port: number): string {
  return SERVICES.get(port)?.name ?? `UDP port ${port}`;
}

/** What one request asks: `kind` groups requests ("DNS ANY query"), `signature` tells identical ones apart. */
export interface RequestShape {
  kind: string;
  signature: string;
  /** The DNS name asked for. */
  qname?: string;
}

const DNS_TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 43: 'DS', 46: 'RRSIG',
  48: 'DNSKEY', 255: 'ANY',
};
const NTP_MODE7: Record<number, string> = { 20: 'MON_GETLIST (monlist)', 42: 'MON_GETLIST_1 (monlist)' };
const SNMP_PDUS: Record<number, string> = { 0xa0: 'GetRequest', 0xa1: 'GetNextRequest', 0xa5: 'GetBulkRequest' };

const ascii = (b: Uint8Array, from: number, to: number): string => {
  let s = '';
  for (let i = from; i < Math.min(to, b.length); i++) s += b[i] >= 0x20 && b[i] < 0x7f ? String.fromCharCode(b[i]) : '.';
  return s;
};

/** True when a DNS message is a response (QR bit, RFC 1035 §4.1.1). */
export function dnsIsResponse(p: Uint8Array | undefined): boolean | undefined {
  return p && p.length >= 3 ? (p[2] & 0x80) !== 0 : undefined;
}

function dns(p: Uint8Array): RequestShape | undefined {
  if (p.length < 13 || (p[2] & 0x80) !== 0) return undefined;
  const labels: string[] = [];
  let i = 12;
  while (i < p.length && p[i] !== 0) {
    const n = p[i];
    if (n > 63) return undefined; // a question name is never compressed
    labels.push(ascii(p, i + 1, i + 1 + n));
    i += n + 1;
  }
  const qname = (labels.join('.') || '.').toLowerCase();
  // The payload kept may stop inside the name: then the type is unknown, not wrong.
  const type = i + 2 < p.length ? (p[i + 1] << 8) | p[i + 2] : undefined;
  const typeName = type === undefined ? '?' : DNS_TYPES[type] ?? `TYPE${type}`;
  return { kind: `DNS ${typeName} query`, signature: `DNS ${typeName} ${qname}`, qname };
}

function ntp(p: Uint8Array): RequestShape {
  const mode = p[0] & 7;
  if (mode === 7 && p.length >= 4) {
    const code = p[3];
    const what = NTP_MODE7[code] ?? `request code ${code}`;
    return { kind: `NTP mode 7 ${what}`, signature: `NTP 7 ${code}` };
  }
  if (mode === 6 && p.length >= 2) return { kind: 'NTP mode 6 control', signature: `NTP 6 ${p[1] & 0x1f}` };
  return { kind: `NTP mode ${mode}`, signature: `NTP ${mode}` };
}

/** BER length at `i`: [value, offset after it]. */
function berLength(p: Uint8Array, i: number): [number, number] | undefined {
  if (i >= p.length) return undefined;
  if (p[i] < 0x80) return [p[i], i + 1];
  const n = p[i] & 0x7f;
  if (n === 0 || n > 3 || i + n >= p.length) return undefined;
  let v = 0;
  for (let k = 1; k <= n; k++) v = (v << 8) | p[i + k];
  return [v, i + 1 + n];
}

/** The tag after a SEQUENCE header and `skip` primitive fields (LDAP: messageID; SNMP: version, community). */
function berTagAfter(p: Uint8Array, skip: number): number | undefined {
  if (p[0] !== 0x30) return undefined;
  let i = berLength(p, 1)?.[1];
  for (let k = 0; k < skip && i !== undefined; k++) {
    const len = berLength(p, i + 1);
    i = len ? len[1] + len[0] : undefined;
  }
  return i !== undefined && i < p.length ? p[i] : undefined;
}

function cldap(p: Uint8Array): RequestShape | undefined {
  // LDAPMessage (RFC 4511 §4.2): messageID, then the operation; searchRequest is [APPLICATION 3].
  const tag = berTagAfter(p, 1);
  if (tag === undefined) return undefined;
  return tag === 0x63 ? { kind: 'CLDAP searchRequest', signature: 'CLDAP search' } : { kind: `CLDAP operation 0x${tag.toString(16)}`, signature: `CLDAP ${tag}` };
}

function snmp(p: Uint8Array): RequestShape | undefined {
  const tag = berTagAfter(p, 2);
  if (tag === undefined) return undefined;
  const name = SNMP_PDUS[tag] ?? `PDU 0x${tag.toString(16)}`;
  return { kind: `SNMP ${name}`, signature: `SNMP ${tag}` };
}

function ssdp(p: Uint8Array): RequestShape | undefined {
  const text = ascii(p, 0, p.length);
  if (!text.startsWith('M-SEARCH')) return undefined;
  const st = /ST:\s*([^.]*)/i.exec(text)?.[1]?.trim();
  return { kind: 'SSDP M-SEARCH', signature: `SSDP M-SEARCH ${st ?? ''}`.trimEnd() };
}

function memcached(p: Uint8Array): RequestShape | undefined {
  // The UDP frame header (request id, sequence, count, reserved) is 8 bytes; the text command follows.
  const word = /^[a-z_]+/i.exec(ascii(p, 8, p.length))?.[0];
  return word ? { kind: `memcached ${word.toLowerCase()}`, signature: `memcached ${ascii(p, 8, 40)}` } : undefined;
}

/** The shape of a request to `port`, from its first bytes when we have them. */
export function requestShape(port: number, payload: Uint8Array | undefined, length: number): RequestShape {
  const name = serviceName(port);
  let shape: RequestShape | undefined;
  if (payload && payload.length > 0) {
    if (port === 53 || port === 5353) shape = dns(payload);
    else if (port === 123) shape = ntp(payload);
    else if (port === 389) shape = cldap(payload);
    else if (port === 161) shape = snmp(payload);
    else if (port === 1900) shape = ssdp(payload);
    else if (port === 11211) shape = memcached(payload);
  }
  if (shape) return shape;
  if (port === 19 || port === 17) return { kind: `${name} request`, signature: `${name} ${length} bytes` };
  const head = payload ? [...payload.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('') : '';
  return { kind: `${name} request`, signature: `${name} ${length} bytes ${head}`.trimEnd() };
}
