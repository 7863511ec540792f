import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { firstLook, MAX_PROVISIONAL_CONFIDENCE } from '../../../analysis/triage/first-look';
import { parseInventory } from '../../../analysis/triage/inventory';
import { casesDir, fixturesDir } from '../../helpers/paths';

const ourNets = ['198.51.100.0/24'];
const inventory = parseInventory(readFileSync(join(fixturesDir, 'triage', 'inventory.txt'), 'utf8')).inventory;

async function look(path: string, withInventory = false) {
  const c = await parseComplaint(readFileSync(path), { fileName: path, ourNets, nowMs: Date.UTC(2026, 1, 2) });
  return firstLook(c, { ourNets, inventory: withInventory ? inventory : undefined });
}

describe('firstLook on the example cases', () => {
  it('nat-legit: the quoted Snort line shows our port 80 as the source: legitimate, provisional', async () => {
    const r = await look(join(casesDir, 'seed001-nat-legit', 'complaint.txt'));
    expect(r.provisional).toMatchObject({ verdict: 'legitimate', provisional: true, note: 'provisional, pending evidence' });
    expect(r.provisional.confidence).toBeLessThanOrEqual(MAX_PROVISIONAL_CONFIDENCE);
    expect(r.provisional.reasons.join(' ')).toMatch(/service port 80/);
    expect(r.notes.join(' ')).toMatch(/sfPortscan/);
    expect(r.window.inferred).toBe(true);
  });

  it('synflood: "source port 80" to 137 ports: backscatter, with a ±15 min window in UTC', async () => {
    const r = await look(join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt'));
    expect(r.provisional.verdict).toBe('backscatter');
    expect(r.provisional.confidence).toBeLessThanOrEqual(MAX_PROVISIONAL_CONFIDENCE);
    expect(r.window).toMatchObject({ from: '2025-12-18T00:25:00Z', to: '2025-12-18T00:55:00Z', inferred: false });
    const ra = r.pull.find((p) => p.tool === 'ra')!;
    expect(ra.command).toBe('TZ=UTC ra -n -r ARGUS_ARCHIVE -t 2025/12/18.00:25:00-2025/12/18.00:55:00 - host 198.51.100.80 and host 192.0.2.66 and port 80');
  });

  it('udp770: odd source port and worm words: compromise, provisional; no time means no time filter', async () => {
    const r = await look(join(casesDir, 'seed003-udp770-compromise', 'complaint.txt'));
    expect(r.provisional.verdict).toBe('compromise');
    expect(r.provisional.confidence).toBeLessThanOrEqual(MAX_PROVISIONAL_CONFIDENCE);
    expect(r.provisional.reasons[0]).toMatch(/770/);
    expect(r.window.from).toBeUndefined();
    expect(r.pull.find((p) => p.tool === 'tcpdump')!.command).toContain("'host 198.51.100.90 and udp port 770'");
  });
});

describe('firstLook on our fixtures', () => {
  it('RSTs from 127.0.0.1:80: backscatter, and the complainant is asked to trace the MAC', async () => {
    const r = await look(join(fixturesDir, 'triage', 'loopback.txt'));
    expect(r.provisional.verdict).toBe('backscatter');
    expect(r.provisional.confidence).toBe(MAX_PROVISIONAL_CONFIDENCE);
    expect(r.findings.map((f) => f.id)).toContain('first-look-impossible-source');
    const mac = r.pull.find((p) => p.tool === 'complainant')!;
    expect(mac.purpose).toMatch(/Trace the MAC/);
    expect(mac.command).toBe("tcpdump -nn -e -i IFACE -c 50 'src host 127.0.0.1'");
    // 127.0.0.1 is not ours: no "our server answering" finding about it.
    expect(r.findings.some((f) => f.detector === 'first-look/service-port-answers')).toBe(false);
  });

  it('DNS answers from port 53 of a host the inventory calls a resolver: legitimate', async () => {
    const r = await look(join(fixturesDir, 'triage', 'dns-answers.txt'), true);
    expect(r.provisional.verdict).toBe('legitimate');
    expect(r.findings.find((f) => f.id === 'first-look-host-role')!.summary).toMatch(/resolver/);
    expect(r.findings.map((f) => f.id)).toContain('first-look-host-serves-port');
    expect(r.pull.find((p) => p.tool === 'tcpdump')!.command).toContain("'host 198.51.100.5 and host 203.0.113.7 and udp port 53'");
  });

  it('the same without an inventory is still legitimate-leaning but weaker', async () => {
    const withInv = await look(join(fixturesDir, 'triage', 'dns-answers.txt'), true);
    const without = await look(join(fixturesDir, 'triage', 'dns-answers.txt'));
    expect(without.provisional.verdict).toBe('legitimate');
    expect(without.provisional.confidence).toBeLessThan(withInv.provisional.confidence);
  });

  it('SSH brute force from a customer VPS: compromise-leaning, fetch flow records of port 22', async () => {
    const r = await look(join(fixturesDir, 'triage', 'ssh-bruteforce.txt'), true);
    expect(r.provisional.verdict).toBe('compromise');
    expect(r.provisional.confidence).toBeLessThanOrEqual(MAX_PROVISIONAL_CONFIDENCE);
    const ra = r.pull.find((p) => p.tool === 'ra')!;
    expect(ra.purpose).toMatch(/sessions to port 22/);
    expect(ra.command).toMatch(/ - host 198\.51\.100\.120 and host 203\.0\.113\.22 and tcp port 22$/);
    // A stray year misread from "ssh2" must not stretch the window over twelve years.
    expect(r.window.from!.slice(0, 4)).toBe('2026');
  });
});
