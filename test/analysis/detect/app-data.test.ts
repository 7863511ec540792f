import { describe, expect, it } from 'vitest';
import { dnsMessage, httpRequest, httpResponse, isTlsClientHello } from '../../../analysis/detect/app-data';
import { loadEvents } from '../../helpers/load-events';
import { join } from 'node:path';
import { corpusDir } from '../../helpers/paths';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('httpRequest', () => {
  it('reads the method, target and User-Agent', () => {
    expect(httpRequest(bytes('GET /index.html HTTP/1.1\r\nHost: a\r\nUser-Agent: curl/8.5.0\r\n\r\n'))).toEqual({ method: 'GET', target: '/index.html', userAgent: 'curl/8.5.0' });
    expect(httpRequest(bytes('CONNECT http://a/ HTTP/1.0\r\n\r\n'))).toEqual({ method: 'CONNECT', target: 'http://a/', userAgent: undefined });
  });

  it('needs 14 bytes ("GET / HTTP/1.1" is the shortest whole request line); a request line cut by the kept bytes still reads', () => {
    expect(httpRequest(bytes('GET / HTTP/1.1'))).toEqual({ method: 'GET', target: '/', userAgent: undefined });
    expect(httpRequest(bytes('GET /abcdefgh'))).toBeUndefined();
    expect(httpRequest(bytes('GET /abcdefghi'))).toEqual({ method: 'GET', target: '/abcdefghi', userAgent: undefined });
  });

  it('is not fooled by text that only starts like a method', () => {
    expect(httpRequest(bytes('GETTING STARTED WITH HTTP'))).toBeUndefined();
    expect(httpRequest(bytes('SSH-2.0-OpenSSH_8.9p1 Ubuntu'))).toBeUndefined();
    expect(httpRequest(undefined)).toBeUndefined();
  });
});

describe('httpResponse', () => {
  it('reads the status line from 12 bytes on', () => {
    expect(httpResponse(bytes('HTTP/1.1 200 OK\r\n'))).toBe('200 OK');
    expect(httpResponse(bytes('HTTP/1.0 404'))).toBe('404');
    expect(httpResponse(bytes('HTTP/1.0 40'))).toBeUndefined();
  });

  it('keeps the code and at most 40 characters after it', () => {
    expect(httpResponse(bytes(`HTTP/1.1 500 ${'x'.repeat(60)}\r\n`))).toBe(`500 ${'x'.repeat(39)}`);
  });
});

/** A DNS query (RFC 1035 §4.1.1 header, one question). */
function dns(name: string, o: { id?: number; flags?: number; qd?: number; an?: number } = {}): Uint8Array {
  const id = o.id ?? 0xbeef;
  const flags = o.flags ?? 0x0100;
  const qd = o.qd ?? 1;
  const an = o.an ?? 0;
  const b = [id >> 8, id & 255, flags >> 8, flags & 255, qd >> 8, qd & 255, an >> 8, an & 255, 0, 0, 0, 0];
  for (const l of name ? name.split('.') : []) b.push(l.length, ...[...l].map((c) => c.charCodeAt(0)));
  b.push(0, 0, 1, 0, 1);
  return Uint8Array.from(b);
}

describe('dnsMessage', () => {
  it('reads id, the response bit, the answer count and the first name', () => {
    expect(dnsMessage(dns('www.example.com', { id: 0x1234 }))).toEqual({ id: 0x1234, response: false, name: 'www.example.com', answers: 0 });
    expect(dnsMessage(dns('example.com', { flags: 0x8180, an: 0x0102 }))).toEqual({ id: 0xbeef, response: true, name: 'example.com', answers: 258 });
    expect(dnsMessage(dns(''))?.name).toBe('.');
    // Only QR (0x8000) makes a response: a query with other bits set (RD, a stray RCODE bit) is still a query.
    expect(dnsMessage(dns('a.b', { flags: 0x0101 }))?.response).toBe(false);
  });

  it('wants a 12-byte header, exactly one question and a known opcode (0-5)', () => {
    expect(dnsMessage(dns('a.b').subarray(0, 12))).toEqual({ id: 0xbeef, response: false, answers: 0 });
    expect(dnsMessage(dns('a.b').subarray(0, 11))).toBeUndefined();
    expect(dnsMessage(dns('a.b', { qd: 2 }))).toBeUndefined();
    expect(dnsMessage(dns('a.b', { qd: 0 }))).toBeUndefined();
    expect(dnsMessage(dns('a.b', { flags: 5 << 11 }))).toMatchObject({ name: 'a.b' });
    expect(dnsMessage(dns('a.b', { flags: 6 << 11 }))).toBeUndefined();
  });

  it('labels of up to 63 bytes; a longer length byte (a compression pointer) or a label past the kept bytes ends the name', () => {
    const l63 = 'x'.repeat(63);
    expect(dnsMessage(dns(`${l63}.com`))?.name).toBe(`${l63}.com`);
    const long = dns('abc.com');
    long[12] = 64;
    expect(dnsMessage(long)?.name).toBeUndefined();
    expect(dnsMessage(dns(`${'x'.repeat(64)}.com`))?.name).toBeUndefined();
    expect(dnsMessage(dns('abcdef.com').subarray(0, 18))?.name).toBeUndefined();
    expect(dnsMessage(dns('abcdef.com').subarray(0, 19))?.name).toBeUndefined();
    expect(dnsMessage(dns('abcdef.com').subarray(0, 24))?.name).toBe('abcdef.com');
  });

  it('reads the queries of a real capture (Wikipedia browsing)', async () => {
    const events = await loadEvents(join(corpusDir, 'pcap', 'zeek__wikipedia.pcap'));
    const names = events.filter((e) => e.dport === 53).map((e) => dnsMessage(e.payload)?.name);
    expect(names).toContain('upload.wikimedia.org');
    expect(names.every((n) => typeof n === 'string' && n.length > 0)).toBe(true);
  });
});

describe('isTlsClientHello', () => {
  const hello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01];
  it('a handshake record (0x16) of TLS (0x03 xx) whose first message is a ClientHello (0x01)', () => {
    expect(isTlsClientHello(Uint8Array.from(hello))).toBe(true);
    expect(isTlsClientHello(Uint8Array.from([0x16, 0x03, 0x03, 0x00, 0x40, 0x01, 0xff]))).toBe(true);
  });

  it.each([
    ['ServerHello', [0x16, 0x03, 0x03, 0x00, 0x40, 0x02]], ['application data', [0x17, 0x03, 0x03, 0x00, 0x40, 0x01]],
    ['SSL 2 style version', [0x16, 0x02, 0x00, 0x00, 0x40, 0x01]], ['alert', [0x15, 0x03, 0x03, 0x00, 0x02, 0x01]], ['5 bytes', hello.slice(0, 5)],
  ])('not a %s', (_what, b) => {
    expect(isTlsClientHello(Uint8Array.from(b))).toBe(false);
  });
});
