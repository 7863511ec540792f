/** Tests of analysis/triage/checks/quoted-flags.ts through the first look. */
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
