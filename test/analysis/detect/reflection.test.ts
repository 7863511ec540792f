import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DetectContext, Finding } from '../../../analysis/detect/detector';
import { reflection, type ReflectionAccumulator } from '../../../analysis/detect/reflection';
import { figures } from '../../../analysis/detect/reflection/finding';
import { corpusDir } from '../../helpers/paths';
import { Capture } from '../../helpers/reply-evidence';
import { requireTool } from '../../helpers/tools';
import { corpusContext } from './corpus';
import { evidenceContext } from './evidence';
import { THEM, T0, US, dnsFlood, realClient } from './reflection-traffic';

/**
 * reflection-amplification on captures it was not written against (real
 * resolvers answering real clients, a real chargen exchange) and on floods
 * written here byte by byte, whose sizes the assertions recompute.
 */

async function run(cap: Capture, accused = [US], targets = [THEM]): Promise<{ ctx: DetectContext; fs: Finding[] }> {
  const ctx = await evidenceContext('refl.pcap', cap.pcap(), accused, targets);
  return { ctx, fs: reflection.detect(ctx) };
}

/** Requests (client -> resolver:53) and answers (resolver:53 -> client) as tshark counts them: packets and UDP payload bytes. */
function tsharkDns(file: string, resolver: string, client: string): { requests: number; requestBytes: number; answers: number; answerBytes: number } {
  requireTool('tshark');
  const out = execFileSync('tshark', ['-r', join(corpusDir, file), '-Y', `udp && ip.addr == ${resolver} && ip.addr == ${client} && udp.port == 53 && dns`,
    '-T', 'fields', '-e', 'ip.src', '-e', 'udp.srcport', '-e', 'udp.length'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const r = { requests: 0, requestBytes: 0, answers: 0, answerBytes: 0 };
  for (const line of out.trim().split('\n')) {
    const [src, sport, len] = line.split('\t');
    if (src === resolver && sport === '53') { r.answers++; r.answerBytes += Number(len) - 8; } else { r.requests++; r.requestBytes += Number(len) - 8; }
  }
  return r;
}

describe('reflection-amplification: real resolvers serving real clients stay silent', () => {
  // Each is a resolver answering the lookups of one browsing host: varied names, answers 3 to 4 times the query, in short bursts.
  const cases: Array<[string, string, string]> = [
    ['pcap/zeek__wikipedia.pcap', '141.142.2.2', '141.142.220.118'],
    ['pcapng/chrissanders__http_espn.pcapng', '4.2.2.1', '172.16.0.122'],
    ['pcap/ppa__evilprogram.pcap', '216.148.227.68', '24.6.125.19'],
  ];
  for (const [file, resolver, client] of cases) {
    it(`${file}: ${resolver} answering ${client} is no finding, named or not`, async () => {
      const ctx = await corpusContext(file, [resolver], [client]);
      expect(reflection.detect(ctx)).toEqual([]);
      expect(reflection.detect({ ...ctx, targets: [] })).toEqual([]);
      // The detector did follow the exchange, and measured what tshark measures: it is silent because of what it saw.
      const acc = reflection.start(ctx) as ReflectionAccumulator;
      for (const e of ctx.events) acc.add(e);
      const fig = figures(acc.pairs.get(`${resolver}|53|${client}`)!);
      const oracle = tsharkDns(file, resolver, client);
      expect({ requests: fig.requests, requestBytes: fig.requestBytes, answers: fig.answers, answerBytes: fig.answerBytes }).toEqual(oracle);
      expect(fig.factor).toBeCloseTo(oracle.answerBytes / oracle.requestBytes, 2);
      expect(fig.identical).toBeLessThan(0.6);
    });
  }

  it('the real chargen exchange (14 bytes in, 1024 out) is one exchange, not a flood', async () => {
    const ctx = await corpusContext('pcap/wireshark-wiki__chargen-udp.pcap', ['185.47.63.113'], ['176.126.243.198']);
    expect(reflection.detect(ctx)).toEqual([]);
    const acc = reflection.start(ctx) as ReflectionAccumulator;
    for (const e of ctx.events) acc.add(e);
    const fig = figures(acc.pairs.get('185.47.63.113|19|176.126.243.198')!);
    expect([fig.requests, fig.requestBytes, fig.answers, fig.answerBytes]).toEqual([1, 14, 1, 1024]);
  });
});

describe('reflection-amplification on a written DNS ANY flood', () => {
  it('2000 forged ANY queries at 1000 a second, answered with 1400 bytes each: the factor is the bytes written', async () => {
    const { cap, requestBytes, answerBytes } = dnsFlood({ n: 2000, gapUs: 1000, answerSize: 1400, ttls: [54, 117, 243] });
    const { fs } = await run(cap);
    expect(fs).toHaveLength(1);
    const [f] = fs;
    expect(f.id).toBe('reflection-amplification');
    expect(f.leaning).toBe('backscatter');
    expect(f.facts).toMatchObject({
      server: US, port: 53, service: 'DNS', target: THEM, requests: 2000, answers: 2000, requestBytes, answerBytes,
      factor: Math.round((answerBytes / requestBytes) * 100) / 100, identicalShare: 1, topRequest: 'DNS ANY isc.org',
      requestKinds: ['DNS ANY query x2000'], ttlDistinct: 3, targetInitiated: 0, requestsSeen: true,
    });
    expect(answerBytes / requestBytes).toBeGreaterThan(30);
    expect(f.summary).toContain(`${answerBytes} bytes sent for ${requestBytes} bytes received`);
    expect(f.explanation).toContain('our open DNS service on 198.51.100.53 port 53');
    expect(f.explanation).toContain(`${answerBytes} / ${requestBytes} = ${f.facts!.factor} times`);
    expect(String(f.facts!.advice)).toMatch(/^close or rate-limit the open DNS on 198\.51\.100\.53.*BCP 38 \(RFC 2827\)/);
    expect(f.strength).toBeGreaterThan(0.8);
    // Quotes are packets of the capture: the first request opens them.
    expect(f.evidence[0].packet).toBe(1);
    expect(f.evidence.length).toBeLessThanOrEqual(8);
  });

  it('the same answers without their requests: said so, and weaker', async () => {
    const both = (await run(dnsFlood({ n: 2000, gapUs: 1000, answerSize: 1400 }).cap)).fs[0];
    const { fs } = await run(dnsFlood({ n: 2000, gapUs: 1000, answerSize: 1400, withRequests: false }).cap);
    expect(fs).toHaveLength(1);
    expect(fs[0].facts).toMatchObject({ requestsSeen: false, requests: 0, answers: 2000, answerBytes: 2000 * 1400 });
    expect(fs[0].facts!.factor).toBeUndefined();
    expect(fs[0].explanation).toContain('The requests are absent from our evidence (only our answers were captured)');
    expect(fs[0].strength).toBeLessThan(both.strength);
  });

  it('with no complainant named, the flooded peer is found; our own clients are not candidates', async () => {
    const { fs } = await run(dnsFlood({ n: 500, gapUs: 2000, answerSize: 1200 }).cap, [US], []);
    expect(fs.map((f) => f.facts!.target)).toEqual([THEM]);
  });

  it('when their address also started a TCP connection of its own with us, the finding is weaker and says so', async () => {
    const plain = (await run(dnsFlood({ n: 300, gapUs: 2000, answerSize: 1400 }).cap)).fs[0];
    const cap = dnsFlood({ n: 300, gapUs: 2000, answerSize: 1400 }).cap;
    cap.tcp(T0 + 700_000, { src: THEM, dst: US, sport: 51000, dport: 443, flags: 'S' });
    const [f] = (await run(cap)).fs;
    expect(f.facts!.targetInitiated).toBe(1);
    expect(f.explanation).toContain('did also start 1 other exchange(s)');
    expect(f.strength).toBeLessThan(plain.strength);
  });
});

describe('reflection-amplification: the boundary with a real client', () => {
  const names = Array.from({ length: 15 }, (_, i) => `host${i}.example${i % 4}.net`);

  it('15 varied lookups over two minutes, answers about twice the query: no finding', async () => {
    expect((await run(realClient(names, 120))).fs).toEqual([]);
  });

  it('the same client asking the same 15 names at 100 a second: answers small, still no finding', async () => {
    expect((await run(realClient(names, 0.15))).fs).toEqual([]);
  });

  it('a slow trickle of identical ANY queries with large answers (one every 10 s): no flood, no finding', async () => {
    expect((await run(dnsFlood({ n: 30, gapUs: 10_000_000, answerSize: 1400 }).cap)).fs).toEqual([]);
  });

  it("the client's lookups plus a flood forged with its address: the flood is reported, the client's lookups counted against it", async () => {
    const cap = realClient(names, 120);
    dnsFlood({ n: 400, gapUs: 2500, answerSize: 1400, start: T0 + 30e6 }, cap);
    const [f] = (await run(cap)).fs;
    expect(f.facts).toMatchObject({ requests: 430, answers: 430, topRequest: 'DNS ANY isc.org' });
    expect(f.facts!.identicalShare).toBeCloseTo(400 / 430, 2);
  });
});
