/** Tests of analysis/triage/checks/claimed-activity.ts and host-role.ts through the first look. */
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

describe('first look: the host\'s role from the inventory', () => {
  const inventory = '198.51.100.10  web server  80,443\n';

  it('an accused address the inventory does not list is said to be unknown', async () => {
    const f = (await findings('Subject: scan\n\nYour host 198.51.100.99 scanned us from port 3333 on 2026-01-14 06:00 UTC.\n', inventory))
      .find((x) => x.id === 'first-look-host-unknown')!;
    expect(f.summary).toBe('198.51.100.99 is not in our inventory: its role is unknown.');
  });

  it('traffic from a port the inventory says the host serves is the host doing its job', async () => {
    const f = (await findings('Subject: scan\n\nYour host 198.51.100.10 source port 443 scanned 30 ports of 203.0.113.5 on 2026-01-14 06:00 UTC.\n', inventory))
      .find((x) => x.id === 'first-look-host-serves-port')!;
    expect(f.summary).toBe('The complained traffic comes from port 443, which the inventory says our web server 198.51.100.10 serves: it is doing its job.');
    expect(f.leaning).toBe('legitimate');
  });

  it('a privileged source port the host does not serve is named; 1024 and above are any client\'s ports', async () => {
    const from = async (port: number) => (await findings(`Subject: scan\n\nYour host 198.51.100.10 source port ${port} scanned 30 ports of 203.0.113.5 on 2026-01-14 06:00 UTC.\n`, inventory))
      .find((x) => x.id === 'first-look-host-unlisted-port');
    const f = (await from(1023))!;
    expect(f.summary).toBe('Source port 1023 is not a service the inventory lists for our web server 198.51.100.10.');
    expect(f).toMatchObject({ leaning: 'compromise', facts: { ports: [1023] } });
    expect(await from(1024)).toBeUndefined();
  });

  it('a host the inventory gives a customer role is a machine we do not manage: compromise there is plausible', async () => {
    const text = 'Subject: scan\n\nYour host 198.51.100.77 scanned 30 ports of 203.0.113.5 on 2026-01-14 06:00 UTC.\n';
    const all = await findings(text, `${inventory}198.51.100.77  customer VPS\n`);
    const f = all.find((x) => x.id === 'first-look-customer-host')!;
    expect(f.summary).toBe('198.51.100.77 is a customer VPS: a machine we do not manage, where an infection or abuse is plausible.');
    expect(f).toMatchObject({ leaning: 'compromise', facts: { address: '198.51.100.77', role: 'customer VPS' } });
    // Our own web server is no customer's machine.
    const ours = await findings(text.replace('198.51.100.77', '198.51.100.10'), inventory);
    expect(ours.some((x) => x.id === 'first-look-customer-host')).toBe(false);
  });
});
