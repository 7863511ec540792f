import { beforeEach, describe, expect, it } from 'vitest';
import { craftedPackets } from '../../../analysis/detect/crafted-packets';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp, tcpSession, udp } from '../../helpers/events';
import { corpusContext } from './corpus';

const US = '133.74.6.1';
const THEM = '130.216.1.1';
beforeEach(() => resetPacketNumbers());

describe('crafted-packets (synthetic, seed 004)', () => {
  it('same ports without handshake, lone FIN, SYN+FIN, all flags, lone ACK', () => {
    const evs = [
      tcp({ src: US, dst: THEM, sport: 23, dport: 23, flags: 'A' }),
      tcp({ src: THEM, dst: US, sport: 23, dport: 23, flags: 'R' }),
      tcp({ src: US, dst: THEM, sport: 2, dport: 23, flags: 'F' }),
      tcp({ src: US, dst: THEM, sport: 3, dport: 80, flags: 'SF' }),
      tcp({ src: US, dst: THEM, sport: 4, dport: 81, flags: 0x3f }),
      tcp({ src: US, dst: THEM, sport: 5, dport: 82, flags: 'A' }),
    ];
    const ids = craftedPackets.detect(makeContext({ events: evs, accused: [US] })).map((f) => f.id).sort();
    expect(ids).toEqual(['crafted-ack-no-handshake', 'crafted-all-flags', 'crafted-lone-fin', 'crafted-same-port', 'crafted-syn-fin']);
  });

  it('ordinary sessions, FIN-ACK closes and same-port UDP (NTP) are not crafted', () => {
    const evs = [
      ...tcpSession({ client: US, server: THEM, sport: 40000, dport: 80, ts: 1 }),
      ...tcpSession({ client: US, server: THEM, sport: 179, dport: 179, ts: 2 }),
      udp({ src: US, dst: THEM, sport: 123, dport: 123, payloadLength: 48 }),
    ];
    expect(craftedPackets.detect(makeContext({ events: evs, accused: [US] }))).toEqual([]);
  });

  it('tells genuine port 0 from fragments that have no ports', () => {
    const evs = [
      tcp({ src: US, dst: THEM, sport: 1234, dport: 0, flags: 'S' }),
      udp({ src: US, dst: THEM, sport: 53, dport: 40000, payloadLength: 1472, fragment: { offset: 0, more: true, id: 7 } }),
      udp({ src: US, dst: THEM, payloadLength: 600, fragment: { offset: 1480, more: false, id: 7 } }),
    ];
    const f = craftedPackets.detect(makeContext({ events: evs, accused: [US] }));
    const byId = Object.fromEntries(f.map((x) => [x.id, x]));
    expect(Object.keys(byId).sort()).toEqual(['crafted-fragment-port-zero', 'crafted-port-zero']);
    expect(byId['crafted-port-zero'].leaning).toBe('compromise');
    expect(byId['crafted-fragment-port-zero'].leaning).toBe('context');
    expect(String(byId['crafted-fragment-port-zero'].facts?.note)).toMatch(/port(s)? as 0|port 0/);
  });
});

describe('crafted-packets on real captures', () => {
  it('tcpdump all-flags packet', async () => {
    const f = craftedPackets.detect(await corpusContext('pcap/tcpdump__tcp_eight_lowest_weight_flags_set.pcap', ['10.0.0.2']));
    expect(f.map((x) => x.id)).toEqual(['crafted-all-flags']);
  });

  it('ppa ipfragments: non-first fragments are context, not port-0 traffic', async () => {
    const f = craftedPackets.detect(await corpusContext('pcap/ppa__ipfragments.pcap', ['192.168.0.193']));
    expect(f.map((x) => [x.id, x.leaning])).toEqual([['crafted-fragment-port-zero', 'context']]);
  });

  it('nmap FIN scan shows up as lone FINs; the answering host sends nothing crafted', async () => {
    expect(craftedPackets.detect(await corpusContext('pcap/evilfingers__FIN_SCAN.pcap', ['192.168.1.10'])).map((x) => x.id)).toEqual(['crafted-lone-fin']);
    expect(craftedPackets.detect(await corpusContext('pcap/evilfingers__FIN_SCAN.pcap', ['192.168.1.25']))).toEqual([]);
  });

  it.each([
    ['pcap/zeek__wikipedia.pcap', '141.142.220.118'],
    ['pcapng/chrissanders__http_espn.pcapng', '172.16.0.122'],
    ['cases/seed001-nat-legit/mirror.pcap', '198.51.100.81'],
  ])('%s: nothing for %s', async (file, host) => {
    expect(craftedPackets.detect(await corpusContext(file, [host]))).toEqual([]);
  });
});
