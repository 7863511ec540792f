/** Tests of analysis/triage/checks/host-role.ts through the first look. */
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../../analysis/complaint/parse-complaint';
import { firstLook } from '../../../../analysis/triage/first-look';
import { parseInventory } from '../../../../analysis/triage/inventory';

const ourNets = ['198.51.100.0/24'];

async function findings(text: string, inventoryText?: string) {
  const c = await parseComplaint(new TextEncoder().encode(text), { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 0, 20) });
  return firstLook(c, { ourNets, inventory: inventoryText ? parseInventory(inventoryText).inventory : undefined }).findings;
}

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
