/** Tests of analysis/triage/checks/service-port-answers.ts through the first look. */
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../../analysis/complaint/parse-complaint';
import { firstLook } from '../../../../analysis/triage/first-look';

const ourNets = ['198.51.100.0/24'];

async function findings(text: string) {
  const c = await parseComplaint(new TextEncoder().encode(text), { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 0, 20) });
  return firstLook(c, { ourNets }).findings;
}

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
