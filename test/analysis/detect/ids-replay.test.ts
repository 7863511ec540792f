import { beforeEach, describe, expect, it } from 'vitest';
import { idsReplay } from '../../../analysis/detect/ids-replay';
import type { Finding } from '../../../analysis/detect/detector';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp } from '../../helpers/events';
import { corpusContext } from './corpus';

const US = '198.51.100.81';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());
const byId = (f: Finding[]): Record<string, Finding> => Object.fromEntries(f.map((x) => [x.id, x]));

describe('ids-replay detector', () => {
  it('our web server answering one NAT address: no sensor that reads flags fires, a flag-blind counter would', () => {
    const evs = [];
    for (let i = 0; i < 40; i++) {
      const t = 100 + i * 0.2;
      evs.push(tcp({ src: THEM, dst: US, sport: 30000 + i * 7, dport: 80, flags: 'S', ts: t }));
      evs.push(tcp({ src: US, dst: THEM, sport: 80, dport: 30000 + i * 7, flags: 'SA', ts: t + 0.03 }));
      evs.push(tcp({ src: THEM, dst: US, sport: 30000 + i * 7, dport: 80, flags: 'A', ts: t + 0.06 }));
      evs.push(tcp({ src: US, dst: THEM, sport: 80, dport: 30000 + i * 7, flags: 'PA', payloadLength: 1000, ts: t + 0.1 }));
    }
    const f = byId(idsReplay.detect(makeContext({ events: evs, accused: [US], targets: [THEM] })));
    expect(f['ids-replay-scanlogd'].facts?.wouldFire).toBe(false);
    expect(f['ids-replay-scanlogd'].summary).toMatch(/could not have fired/);
    expect(f['ids-replay-sfportscan'].facts?.wouldFire).toBe(false);
    expect(f['ids-replay-zeek-scan'].facts?.wouldFire).toBe(false);
    expect(f['ids-replay-port-count'].facts).toMatchObject({ exceedsScanlogdWeight: true, distinctPorts: 40, replyPackets: 40 });
    for (const x of Object.values(f)) expect(x.leaning).toBe('context');
  });

  it('a real SYN scan toward them fires all three', () => {
    const evs = [];
    for (let p = 1; p <= 30; p++) {
      evs.push(tcp({ src: US, dst: THEM, sport: 5000, dport: p, flags: 'S', ts: 10 + p * 0.05 }));
      evs.push(tcp({ src: THEM, dst: US, sport: p, dport: 5000, flags: 'RA', ts: 10 + p * 0.05 + 0.001 }));
    }
    const f = byId(idsReplay.detect(makeContext({ events: evs, accused: [US], targets: [THEM] })));
    expect(f['ids-replay-scanlogd'].facts?.wouldFire).toBe(true);
    expect(f['ids-replay-scanlogd'].evidence).toHaveLength(7);
    expect(f['ids-replay-sfportscan'].facts?.wouldFire).toBe(true);
    expect(f['ids-replay-sfportscan'].facts?.alert).toBe('TCP Portscan');
    expect(f['ids-replay-zeek-scan'].facts?.wouldFire).toBe(true);
  });
});

describe('ids-replay on real captures', () => {
  it('seed001 NAT mirror: our server replies cannot trip scanlogd, sfPortscan or scan.zeek', async () => {
    const f = byId(idsReplay.detect(await corpusContext('cases/seed001-nat-legit/mirror.pcap', ['198.51.100.81'], ['192.0.2.10'])));
    expect(f['ids-replay-scanlogd'].facts?.wouldFire).toBe(false);
    expect(f['ids-replay-sfportscan'].facts?.wouldFire).toBe(false);
    expect(f['ids-replay-zeek-scan'].facts?.wouldFire).toBe(false);
    expect(f['ids-replay-port-count'].facts?.exceedsScanlogdWeight).toBe(true);
  });

  it.each([
    // file, accused, target, scanlogd ignored (ACK set) of our TCP packets, flag-blind ports and weight
    ['pcap/zeek__wikipedia.pcap', '208.80.152.3', '141.142.220.118', 24, 24, 6, 6],
    ['pcap/evilfingers__TCP_SYN_SCAN.pcap', '192.168.1.25', '192.168.1.10', 1000, 1000, 2, 2],
  ])('%s: %s answering %s trips no sensor', async (file, us, them, ignored, tcpPackets, ports, weight) => {
    const f = byId(idsReplay.detect(await corpusContext(file, [us], [them])));
    expect(f['ids-replay-scanlogd'].facts).toMatchObject({ wouldFire: false, weight: 0, ignoredWithAck: ignored, tcpPackets });
    expect(f['ids-replay-sfportscan'].facts).toMatchObject({ wouldFire: false, levelsFiring: [], connectionAttempts: 0 });
    expect(f['ids-replay-zeek-scan'].facts).toMatchObject({ wouldFire: false, failedConnections: 0 });
    expect(f['ids-replay-port-count'].facts).toMatchObject({ target: them, distinctPorts: ports, weight, exceedsScanlogdWeight: false });
  });

  it('home host answering Internet background radiation (ppa evilprogram): 116 RSTs to 34 hosts trip no sensor', async () => {
    const f = byId(idsReplay.detect(await corpusContext('pcap/ppa__evilprogram.pcap', ['24.6.125.19'])));
    expect(Object.values(f).map((x) => [x.id, x.facts?.wouldFire])).toEqual([
      ['ids-replay-scanlogd', false], ['ids-replay-sfportscan', false], ['ids-replay-zeek-scan', false], ['ids-replay-port-count', undefined],
    ]);
    expect(f['ids-replay-port-count'].facts).toMatchObject({ exceedsScanlogdWeight: false });
  });

  it('nmap UDP scan: sfPortscan fires a UDP portscan at every level; scanlogd and scan.zeek count TCP only', async () => {
    const f = byId(idsReplay.detect(await corpusContext('pcap/evilfingers__UDP_SCAN.pcap', ['192.168.1.10'], ['192.168.1.25'])));
    expect(f['ids-replay-sfportscan'].facts).toMatchObject({ wouldFire: true, levelsFiring: ['low', 'medium', 'high'], alert: 'UDP Portscan' });
    expect(f['ids-replay-scanlogd'].facts).toMatchObject({ wouldFire: false, tcpPackets: 0 });
    expect(f['ids-replay-zeek-scan'].facts).toMatchObject({ wouldFire: false, failedConnections: 0 });
    expect(f['ids-replay-port-count'].facts).toMatchObject({ distinctPorts: 1000, exceedsScanlogdWeight: true });
  });

  it('psad firewall log of an nmap SYN scan: scanlogd at its 21st weight, a filtered portscan, Port_Scan', async () => {
    const f = byId(idsReplay.detect(await corpusContext('netfilter/psad__syn_scan_1000_1500.log', ['192.168.10.55'], ['192.168.10.1'])));
    expect(f['ids-replay-scanlogd'].facts).toMatchObject({ wouldFire: true, weight: 21, portCount: 21 });
    expect(f['ids-replay-scanlogd'].evidence[0]).toMatchObject({ file: 'psad__syn_scan_1000_1500.log', line: 1 });
    expect(f['ids-replay-sfportscan'].facts).toMatchObject({ wouldFire: true, levelsFiring: ['medium', 'high'], alert: 'TCP Filtered Portscan', connectionAttempts: 200, errorAnswers: 0 });
    expect(f['ids-replay-zeek-scan'].facts).toMatchObject({ wouldFire: true, failedConnections: 1002, maxFailedPortsOneHost: 501 });
  });

  it('nmap connect scan: every sensor fires on the scanner', async () => {
    const f = byId(idsReplay.detect(await corpusContext('pcap/evilfingers__TCP_CONNECT_SCAN.pcap', ['192.168.1.10'], ['192.168.1.25'])));
    expect(f['ids-replay-scanlogd'].facts?.wouldFire).toBe(true);
    expect(f['ids-replay-sfportscan'].facts?.wouldFire).toBe(true);
    expect(f['ids-replay-zeek-scan'].facts?.wouldFire).toBe(true);
  });
});
