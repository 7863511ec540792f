import { describe, expect, it } from 'vitest';
import { reflection } from '../../../../analysis/detect/reflection';
import { dnsIsResponse, requestShape, serviceName } from '../../../../analysis/detect/reflection/services';
import { bytes } from '../../../helpers/pcap-writer';
import { Capture } from '../../../helpers/reply-evidence';
import { corpusEvents } from '../../decode/frames';
import { evidenceContext } from '../evidence';
import { THEM, T0, US, dnsQuery } from '../reflection-traffic';

describe('reflection: request kinds from their bytes', () => {
  const ntpMonlist = new Uint8Array([0x17, 0x00, 0x03, 0x2a, ...new Array(4).fill(0)]);
  const ssdp = bytes('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n');
  const memcached = new Uint8Array([0, 1, 0, 0, 0, 1, 0, 0, ...bytes('stats\r\n')]);
  // LDAPMessage { messageID 1, searchRequest [APPLICATION 3] { baseObject "", ... } } as BER.
  const cldap = new Uint8Array([0x30, 0x25, 0x02, 0x01, 0x01, 0x63, 0x20, 0x04, 0x00, 0x0a, 0x01, 0x00]);
  // SNMPv2c { version 1, community "public", GetBulkRequest }.
  const snmp = new Uint8Array([0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, ...bytes('public'), 0xa5, 0x19]);
  const cases: Array<[number, Uint8Array, string]> = [
    [123, ntpMonlist, 'NTP mode 7 MON_GETLIST_1 (monlist)'],
    [1900, ssdp, 'SSDP M-SEARCH'],
    [11211, memcached, 'memcached stats'],
    [389, cldap, 'CLDAP searchRequest'],
    [161, snmp, 'SNMP GetBulkRequest'],
    [19, new Uint8Array([0x0a]), 'CharGEN request'],
    [53, dnsQuery(7, 'example.com', 'TXT'), 'DNS TXT query'],
  ];
  for (const [port, payload, kind] of cases) {
    it(`port ${port}: ${kind}`, () => expect(requestShape(port, payload, payload.length).kind).toBe(kind));
  }

  it('an NTP monlist flood: 3000 requests of 8 bytes, 100 answers of 468 bytes to each 30th', async () => {
    const cap = new Capture();
    let inBytes = 0, outBytes = 0;
    for (let i = 0; i < 3000; i++) {
      const t = T0 + i * 500;
      cap.udp(t, { src: THEM, dst: US, sport: 443, dport: 123, payload: ntpMonlist, ttl: 240 });
      inBytes += ntpMonlist.length;
      // monlist answers with up to 100 datagrams of 6 entries (72 bytes each) after an 8-byte header.
      if (i % 30 === 0) for (let k = 0; k < 100; k++) { cap.udp(t + 50 + k, { src: US, dst: THEM, sport: 123, dport: 443, payload: new Uint8Array(8 + 6 * 72), ttl: 64 }); outBytes += 440; }
    }
    const ctx = await evidenceContext('ntp.pcap', cap.pcap(), [US], [THEM]);
    const [f] = reflection.detect(ctx);
    expect(f.facts).toMatchObject({ service: 'NTP', port: 123, requests: 3000, answers: 10_000, requestBytes: inBytes, answerBytes: outBytes,
      factor: Math.round((outBytes / inBytes) * 100) / 100, requestKinds: ['NTP mode 7 MON_GETLIST_1 (monlist) x3000'] });
    expect(f.explanation).toContain('US-CERT TA14-017A lists NTP as an amplifier with a bandwidth factor of 556.9');
  });
});

describe('reflection: services and DNS direction', () => {
  it('names the amplifying services and calls other ports by number', () => {
    expect([serviceName(123), serviceName(11211), serviceName(19), serviceName(4444)]).toEqual(['NTP', 'memcached', 'CharGEN', 'UDP port 4444']);
  });

  it('tells a DNS response from a query by the QR bit, and says nothing of fewer than three bytes', async () => {
    const dns = await corpusEvents('tcpdump__LINKTYPE_IPV4.pcap');
    expect(dnsIsResponse(dns[0].ev.payload)).toBe(false);
    const answers = await corpusEvents('tcpdump__nflog.pcap');
    expect(answers.map(({ ev }) => dnsIsResponse(ev.payload))).toEqual([true, true, true, true]);
    expect(dnsIsResponse(new Uint8Array([0x12, 0x34]))).toBeUndefined();
    expect(dnsIsResponse(undefined)).toBeUndefined();
  });
});
