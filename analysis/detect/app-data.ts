/**
 * Just enough application-layer reading to tell an operator what a session
 * was: the HTTP request line and User-Agent, a DNS question, a TLS
 * ClientHello's server name. Works on the first payload bytes an event keeps.
 */

const ascii = new TextDecoder('latin1');

// The version may lie past the bytes we keep when the URL is long: the method and a path are enough.
const HTTP_METHODS = /^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|CONNECT) ((?:\/|https?:\/\/|\*)[^\s]{0,200})(?: HTTP\/\d\.\d|$)/;

export interface HttpRequest {
  method: string;
  target: string;
  userAgent?: string;
}

export function httpRequest(payload: Uint8Array | undefined): HttpRequest | undefined {
  if (!payload || payload.length < 14) return undefined;
  const text = ascii.decode(payload);
  const m = HTTP_METHODS.exec(text);
  if (!m) return undefined;
  const ua = /\r\nUser-Agent: ([^\r\n]{1,120})/i.exec(text);
  return { method: m[1], target: m[2], userAgent: ua?.[1] };
}

export function httpResponse(payload: Uint8Array | undefined): string | undefined {
  if (!payload || payload.length < 12) return undefined;
  const m = /^HTTP\/\d\.\d (\d{3}[^\r\n]{0,40})/.exec(ascii.decode(payload.subarray(0, 60)));
  return m?.[1];
}

export interface DnsMessage {
  id: number;
  response: boolean;
  /** The first question's name, when it fits in the kept bytes. */
  name?: string;
  answers: number;
}

/** DNS header (RFC 1035 §4.1.1) and the first question name. */
export function dnsMessage(payload: Uint8Array | undefined): DnsMessage | undefined {
  if (!payload || payload.length < 12) return undefined;
  const flags = (payload[2] << 8) | payload[3];
  const qd = (payload[4] << 8) | payload[5];
  const opcode = (flags >> 11) & 0xf;
  if (qd !== 1 || opcode > 5) return undefined;
  const msg: DnsMessage = { id: (payload[0] << 8) | payload[1], response: (flags & 0x8000) !== 0, answers: (payload[6] << 8) | payload[7] };
  const labels: string[] = [];
  let p = 12;
  while (p < payload.length) {
    const len = payload[p];
    if (len === 0) { msg.name = labels.join('.') || '.'; break; }
    if (len > 63 || p + 1 + len > payload.length) break;
    labels.push(ascii.decode(payload.subarray(p + 1, p + 1 + len)));
    p += 1 + len;
  }
  return msg;
}

/** True for a TLS handshake record carrying a ClientHello (RFC 8446 §5.1, §4.1.2). */
export function isTlsClientHello(payload: Uint8Array | undefined): boolean {
  return !!payload && payload.length >= 6 && payload[0] === 0x16 && payload[1] === 0x03 && payload[5] === 0x01;
}
