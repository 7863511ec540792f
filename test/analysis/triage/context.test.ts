import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { COMMON_SERVICE_PORTS, protoWord, triageContext } from '../../../analysis/triage/context';
import { parseInventoryText } from '../../../analysis/triage/inventory';
import { casesDir } from '../../helpers/paths';

const ourNets = ['198.51.100.0/24'];

async function complaintOf(name: string) {
  const bytes = new Uint8Array(readFileSync(join(casesDir, name, 'complaint.txt')));
  return parseComplaint(bytes, { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 1, 10) });
}

describe('triage context', () => {
  it('seed001-nat-legit: the quoted Snort line is from the accused host, its source port 80 is the one the complaint names', async () => {
    const c = await complaintOf('seed001-nat-legit');
    const ctx = triageContext(c, ['198.51.100.81'], ['192.0.2.10'], ourNets, []);
    expect(ctx.fromAccused.map((e) => [e.src, e.sport, e.dst])).toEqual([['198.51.100.81', 80, '192.0.2.10']]);
    expect(ctx.toAccused).toEqual([]);
    expect(ctx.sourcePorts).toEqual([80]);
  });

  it('seed001-synflood-backscatter: the stated source port counts though no line is quoted', async () => {
    const c = await complaintOf('seed001-synflood-backscatter');
    const ctx = triageContext(c, ['198.51.100.80'], ['192.0.2.66'], ourNets, []);
    expect(ctx.fromAccused).toEqual([]);
    expect(ctx.sourcePorts).toEqual([80]);
  });

  it('a service port is the inventory\'s when it lists the host, else one of the common server ports', async () => {
    const c = await complaintOf('seed001-nat-legit');
    const { inventory } = parseInventoryText('198.51.100.81 resolver 53/udp\n');
    const ctx = triageContext(c, ['198.51.100.81'], [], ourNets, inventory);
    expect(ctx.isServicePort('198.51.100.81', 53, 'udp')).toBe(true);
    expect(ctx.isServicePort('198.51.100.81', 80, 'tcp')).toBe(false);
    expect(ctx.host('198.51.100.81').role).toBe('resolver');
    expect(ctx.host('198.51.100.81')).toBe(ctx.host('198.51.100.81'));
    expect(ctx.isServicePort('198.51.100.99', 80, 'tcp')).toBe(true);
    expect(ctx.isServicePort('198.51.100.99', 4444, 'tcp')).toBe(false);
    expect([...COMMON_SERVICE_PORTS]).toContain(443);
  });

  it('names TCP and UDP, nothing else', () => {
    expect([protoWord(6), protoWord(17), protoWord(1), protoWord(undefined)]).toEqual(['tcp', 'udp', undefined, undefined]);
  });
});
