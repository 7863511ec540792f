import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { floodShape } from '../../bench/shapes/flood';
import { mixedShape } from '../../bench/shapes/mixed';
import { scanShape } from '../../bench/shapes/scan';
import { requireTool } from '../helpers/tools';

/**
 * The benchmark shapes are only worth their figures if the captures are what
 * they claim: checked on small sizes against tshark's reading of them, not
 * against the generators' own bookkeeping alone. One tshark pass per capture.
 */
const dir = mkdtempSync(join(tmpdir(), 'bench-shapes-slow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Pkt { len: number; src: string; dst: string; sport: string; dport: string; flags: number; window: string; udp: boolean }

function packets(file: string): Pkt[] {
  requireTool('tshark');
  const fields = ['frame.len', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.window_size_value', 'udp.srcport'];
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map((l) => {
    const [len, src, dst, sport, dport, flags, window, udp] = l.split('\t');
    return { len: Number(len), src, dst, sport, dport, flags: flags ? Number(flags) : -1, window, udp: udp !== '' };
  });
}

describe('spoofed SYN flood', () => {
  const file = join(dir, 'flood.pcap');
  const g = floodShape.generate(file, 1 << 20, () => {});
  const all = packets(file);

  it('forges a distinct source for every SYN but the complainant\'s, in 60-byte frames', () => {
    expect(all.length).toBe(g.packets);
    expect(all.every((p) => p.len === 60)).toBe(true);
    const syns = all.filter((p) => p.flags === 0x002);
    expect(syns.length).toBe(g.facts.syns);
    expect(syns.every((s) => s.window === '512' && s.dst === '198.51.100.10')).toBe(true);
    const fromComplainant = syns.filter((s) => s.src === '203.0.113.77').length;
    const others = syns.filter((s) => s.src !== '203.0.113.77').map((s) => s.src);
    expect(fromComplainant).toBe(g.facts.complainantSyns);
    expect(new Set(others).size).toBe(others.length);
    expect(others.length).toBe(g.facts.forgedSources);
    // About 0.2% of the SYNs carry the complainant (binomial, within 3 standard deviations).
    const p = 0.002;
    expect(Math.abs(fromComplainant - p * syns.length)).toBeLessThan(3 * Math.sqrt(syns.length * p * (1 - p)) + 1);
  });

  it('answers from our server only: SYN-ACKs from port 80, RST/ACKs from 8080', () => {
    const ours = all.filter((p) => p.src === '198.51.100.10');
    expect(ours.filter((r) => r.sport === '80' && r.flags === 0x012).length).toBe(g.facts.synAcks + g.facts.synAckRetransmits);
    expect(ours.filter((r) => r.sport === '8080' && r.flags === 0x014).length).toBe(g.facts.rsts);
    expect(ours.length).toBe(g.facts.synAcks + g.facts.synAckRetransmits + g.facts.rsts);
    expect(all.length).toBe(g.facts.syns + ours.length);
    expect(g.complaint).toMatch(/port scan from 198\.51\.100\.10 port 80 against 203\.0\.113\.77 at 2026-01-01 03:10:\d\d CET/);
  });
});

describe('mixed flows and the scan', () => {
  it('mixed traffic carries TCP and UDP, every TCP flag, and the complainant\'s connections', () => {
    const file = join(dir, 'mixed.pcap');
    const g = mixedShape.generate(file, 2 << 20, () => {});
    const all = packets(file);
    expect(g.facts.udpFlows).toBeGreaterThan(0);
    expect(all.some((p) => p.udp)).toBe(true);
    const names: Record<string, number> = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 };
    for (const [name, bit] of Object.entries(names)) expect(all.some((p) => p.flags >= 0 && p.flags & bit), name).toBe(true);
    expect(all.some((p) => p.flags === 0), 'NULL probes').toBe(true);
    expect(all.some((p) => p.flags === 0x29), 'Xmas probes').toBe(true);
    expect(all.filter((p) => p.src === '192.0.2.44' && p.dport === '443').length).toBeGreaterThan(0);
  });

  it('the scanner probes distinct ports of the complainant and port 23 of distinct hosts', () => {
    const file = join(dir, 'scan.pcap');
    const g = scanShape.generate(file, 2 << 20, () => {});
    const all = packets(file);
    const probes = all.filter((p) => p.src === '198.51.100.66' && p.flags === 0x002);
    const vertical = probes.filter((p) => p.dst === '203.0.113.77').map((p) => p.dport);
    expect(vertical.length).toBe(g.facts.verticalProbes);
    expect(new Set(vertical).size).toBe(vertical.length);
    const horizontal = probes.filter((p) => p.dport === '23').map((p) => p.dst);
    expect(horizontal.length).toBe(g.facts.horizontalProbes);
    expect(new Set(horizontal).size).toBe(horizontal.length);
    expect(vertical.length + horizontal.length).toBe(probes.length);
  });
});
