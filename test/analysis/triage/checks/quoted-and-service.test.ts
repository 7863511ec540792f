/** Tests of analysis/triage/checks/quoted-flags.ts and service-port-answers.ts through the first look. */
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../../analysis/complaint/parse-complaint';
import { firstLook } from '../../../../analysis/triage/first-look';

const ourNets = ['198.51.100.0/24'];

async function findings(text: string) {
  const c = await parseComplaint(new TextEncoder().encode(text), { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 0, 20) });
  return firstLook(c, { ourNets }).findings;
}

/** tcpdump -n lines as a complainant pastes them. */
const line = (i: number, from: string, to: string, flags: string): string =>
  `2026-01-14 06:00:${String(i).padStart(2, '0')}.000000 IP ${from} > ${to}: Flags [${flags}], seq 1, win 512, length 0`;

describe('first look: the flags of the lines the complainant quotes', () => {
  it('RSTs from us are refusals of packets that carried their address', async () => {
    const text = 'Subject: scan\n\nYour host 198.51.100.80 scanned us:\n'
      + [1, 2, 3].map((i) => line(i, '198.51.100.80.80', `192.0.2.66.${40000 + i}`, 'R.')).join('\n') + '\n';
    const f = (await findings(text)).find((x) => x.id === 'first-look-quoted-rst')!;
    expect(f.summary).toBe("The complainant's own lines show RSTs from us (3): refusals of packets that reached us with the complainant's address as their source, not probes.");
    expect(f.evidence).toHaveLength(3);
  });

  it('bare SYNs to 5 ports are the shape of a scan; to 4 they are too few', async () => {
    const syns = (n: number) => 'Subject: scan\n\nYour host 198.51.100.7 scanned us:\n'
      + Array.from({ length: n }, (_, i) => line(i, `198.51.100.7.${50000 + i}`, `192.0.2.66.${20 + i}`, 'S')).join('\n') + '\n';
    const five = (await findings(syns(5))).find((x) => x.id === 'first-look-quoted-syn')!;
    const four = (await findings(syns(4))).find((x) => x.id === 'first-look-quoted-syn')!;
    expect(five.summary).toBe("The complainant's own lines show our host sending bare SYNs to 5 ports on 1 host(s): connection attempts from us, the shape of a scan.");
    expect(four.summary).toBe("The complainant's own lines show 4 SYN(s) from our host: connection attempts, too few to call a scan.");
    expect(five.strength).toBeGreaterThan(four.strength);
  });
});

describe('first look: complaints about traffic from our service port', () => {
  const about = (ports: number) => `Subject: portscan\n\nYour host 198.51.100.10 (source port 80) scanned ${ports} ports of 203.0.113.5 on 2026-01-14 06:00 UTC.\n`;

  it('100 ports from a service port: backscatter of a forged flood; 99: answers either way', async () => {
    const many = await findings(about(100));
    const fewer = await findings(about(99));
    const flood = many.find((x) => x.id === 'first-look-service-port-backscatter')!;
    expect(flood.summary).toBe("The complained packets come from our host 198.51.100.10's service port 80 to 100 ports: a server answers, it does not scan, "
      + "and answers to so many random ports are what a SYN flood forged with the complainant's address provokes (backscatter).");
    expect(fewer.some((x) => x.id === 'first-look-service-port-backscatter')).toBe(false);
    expect(fewer.filter((x) => x.id === 'first-look-service-port-answers').map((x) => x.leaning).sort()).toEqual(['backscatter', 'legitimate']);
  });

  it('a few ports from a service port: our server answering clients, several behind one NAT', async () => {
    const f = (await findings(about(12))).find((x) => x.id === 'first-look-service-port-answers')!;
    expect(f.leaning).toBe('legitimate');
    expect(f.summary).toBe("The complained packets come from our host 198.51.100.10's service port 80 to 12 ports: our server answering clients, not probing; "
      + 'several clients behind one NAT address each use their own port, which a sensor can count as a port scan.');
  });
});

describe('first look: could the named sensor have fired on the quoted lines', () => {
  const snort = (n: number) => 'Subject: portscan\n\nOur Snort sensor reported a portscan from your host 198.51.100.7:\n'
    + Array.from({ length: n }, (_, i) => line(i, `198.51.100.7.${50000 + i}`, `192.0.2.66.${20 + i}`, 'S')).join('\n') + '\n';
  const sensor = async (text: string) => (await findings(text)).find((x) => x.id === 'first-look-sensor-threshold')!;

  it('sfPortscan: SYNs to 5 ports reach sense level low, 4 reach none', async () => {
    expect((await sensor(snort(5))).summary).toContain('The quoted lines show SYNs from us to 5 ports: enough for sense level low');
    expect((await sensor(snort(4))).summary).toContain('The quoted lines show SYNs from us to only 4 port(s): below every sense level');
  });

  it('a named sensor and no packet lines: says there is nothing to replay', async () => {
    const f = await sensor('Subject: portscan\n\nOur Snort sensor reported a portscan from your host 198.51.100.7 on 2026-01-14 06:00 UTC.\n');
    expect(f.summary).toMatch(/The complaint quotes no packet-level lines to replay\.$/);
  });
});
