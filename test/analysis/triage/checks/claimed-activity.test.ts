/** Tests of analysis/triage/checks/claimed-activity.ts through the first look. */
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../../analysis/complaint/parse-complaint';
import { firstLook } from '../../../../analysis/triage/first-look';
import { parseInventory } from '../../../../analysis/triage/inventory';

/**
 * What the complaint claims, restated from its own facts: the odd source
 * port it names, the login service and the number of failed-login lines it
 * quotes (five or more make the claim stronger).
 */
const ourNets = ['198.51.100.0/24'];

async function findings(text: string, inventoryText?: string) {
  const c = await parseComplaint(new TextEncoder().encode(text), { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 0, 20) });
  return firstLook(c, { ourNets, inventory: inventoryText ? parseInventory(inventoryText).inventory : undefined }).findings;
}

const failedLogins = (n: number): string => Array.from({ length: n }, (_, i) =>
  `Jan 14 07:12:${String(10 + i).padStart(2, '0')} bastion sshd[${2200 + i}]: Failed password for root from 198.51.100.120 port ${51000 + i} ssh2`).join('\n');

describe('first look: the claimed activity', () => {
  it('worm traffic from an odd source port names that port as a signature', async () => {
    const f = (await findings('Subject: worm activity\n\nYour host 198.51.100.7 is infected with a worm: UDP packets from source port 4444 to many of our addresses.\n'))
      .find((x) => x.id === 'first-look-claimed-worm')!;
    expect(f.summary).toBe('The complaint describes worm-like traffic from 198.51.100.7 with source port 4444, which is no service we run: '
      + "a fixed, odd source port is a tool's or a worm's signature.");
    expect(f.facts?.sourcePorts).toEqual([4444]);
  });

  it('password guessing: the service, the quoted failures, and 5 failures weigh more than 4', async () => {
    const complaint = (n: number) => `Subject: SSH brute force from 198.51.100.120\nDate: Wed, 14 Jan 2026 07:30:00 +0100\n\n`
      + `Failed SSH logins on our server 203.0.113.22 port 22 from your host 198.51.100.120:\n${failedLogins(n)}\n`;
    const five = (await findings(complaint(5))).find((x) => x.id === 'first-look-claimed-brute-force')!;
    const four = (await findings(complaint(4))).find((x) => x.id === 'first-look-claimed-brute-force')!;
    expect(five.summary).toBe('The complaint reports password guessing from 198.51.100.120 against SSH (22), with 5 failed-login lines of their own: '
      + 'our host acting as a client of their login service, which is what a compromised machine does.');
    expect(five.facts?.loginFailures).toBe(5);
    expect(four.facts?.loginFailures).toBe(4);
    expect(five.strength).toBeGreaterThan(four.strength);
  });
});
