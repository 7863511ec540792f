import { describe, expect, it } from 'vitest';
import type { DetectContext, Finding } from '../../../analysis/detect/detector';
import { reflection } from '../../../analysis/detect/reflection';
import { requestShape } from '../../../analysis/detect/reflection/services';
import { IPPROTO_ICMP, IPPROTO_UDP, type NetEvent } from '../../../analysis/events/event';
import { bytes } from '../../helpers/pcap-writer';
import { Capture } from '../../helpers/reply-evidence';
import { evidenceContext } from './evidence';
import { THEM, T0, US, dnsFlood, dnsQuery, realClient } from './reflection-traffic';

/**
 * The reflection accumulator as a streaming one: two halves merged equal
 * one pass; the requests of each amplifying service are named from their
 * bytes (the bounds are in reflection-bounds.slow.test.ts).
 */

function inTwo(ctx: DetectContext, first: NetEvent[], second: NetEvent[]): Finding[] {
  const a = reflection.start(ctx);
  const b = reflection.start(ctx);
  for (const e of first) a.add(e);
  for (const e of second) b.add(e);
  a.merge(b);
  return a.finish(ctx);
}

describe('reflection: merge', () => {
  it('flood, a real client, a TCP connection of theirs and their ICMP refusals: two halves merged, either way, give the one pass', async () => {
    const cap = realClient(Array.from({ length: 12 }, (_, i) => `n${i}.example.org`), 60);
    dnsFlood({ n: 600, gapUs: 1500, answerSize: 900, ttls: [50, 51, 120], start: T0 + 5e6 }, cap);
    cap.tcp(T0 + 20e6, { src: THEM, dst: US, sport: 50500, dport: 22, flags: 'S' });
    const ctx = await evidenceContext('merge.pcap', cap.pcap(), [US], [THEM]);
    const refusals: NetEvent[] = Array.from({ length: 5 }, (_, i) => ({
      kind: 'packet', ts: T0 + 6e6 + i, src: THEM, dst: US, proto: IPPROTO_ICMP, ttl: 60,
      icmp: { type: 3, code: 3, quoted: { src: US, dst: THEM, proto: IPPROTO_UDP, sport: 53, dport: 80 } },
      source: { file: 'icmp.pcap', packet: i + 1, offset: 24 + i * 80 },
    }));
    const events = [...ctx.events, ...refusals];
    const one = reflection.detect({ ...ctx, events });
    expect(one).toHaveLength(1);
    expect(one[0].facts).toMatchObject({ refusedByTarget: 5, targetInitiated: 1, ttlDistinct: 4, requests: 624, answers: 624 });
    for (const at of [1, events.length >> 2, events.length >> 1, events.length - 1]) {
      const [h1, h2] = [events.slice(0, at), events.slice(at)];
      expect(inTwo(ctx, h1, h2)).toEqual(one);
      expect(inTwo(ctx, h2, h1)).toEqual(one);
    }
  });
});

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
