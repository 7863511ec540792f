import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outboundScan } from '../../../analysis/detect/outbound-scan';
import { requestedByThem } from '../../../analysis/detect/requested-by-them';
import { makeContext } from '../../helpers/context';
import { corpusDir, fixturesDir } from '../../helpers/paths';
import { Capture } from '../../helpers/reply-evidence';
import { requireTool } from '../../helpers/tools';
import { corpusContext } from './corpus';
import { evidenceContext, readFixture } from './evidence';
import { T0, THEM, US, activeFtp, echoProbe, identCallbacks, traceProbe, unasked } from './requested-traffic';

/**
 * The fixtures requested-*.pcap were captured from real software, not written
 * for this detector: vsftpd 3.0.3 (Debian) serving Python's ftplib client in
 * active mode (PORT, then EPRT) and in passive mode, and Linux traceroute
 * (UDP) run through and to a Linux router, between network namespaces; see
 * test/fixtures/pcap/README.md. tshark is the oracle for what they contain.
 */
function tshark(file: string, filter: string, fields: string[]): string[][] {
  requireTool('tshark');
  const out = execFileSync('tshark', ['-r', file.includes('/') ? file : join(fixturesDir, 'pcap', file), '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

const answers = (ctx: Parameters<typeof requestedByThem.detect>[0]) => requestedByThem.detect(ctx).filter((f) => f.id === 'answer-to-their-request');

describe('answer-to-their-request on real captures', () => {
  it('active FTP (vsftpd, ftplib): each data connection from our port 20 answers the PORT/EPRT tshark reads, which the finding quotes', async () => {
    const ctx = makeContext({ events: await readFixture('pcap/requested-ftp-active.pcap'), accused: [US], targets: [THEM] });
    const commands = tshark('requested-ftp-active.pcap', 'ftp.request.command == "PORT" || ftp.request.command == "EPRT"', ['frame.number', 'ftp.request.command', 'ftp.request.arg']);
    const dataSyns = tshark('requested-ftp-active.pcap', `ip.src == ${US} && tcp.srcport == 20 && tcp.flags.syn == 1 && tcp.flags.ack == 0`, ['frame.number']);
    expect(commands.map((c) => c[1])).toEqual(['PORT', 'PORT', 'PORT', 'PORT', 'EPRT']);
    const [f, ...rest] = answers(ctx);
    expect(rest).toEqual([]);
    expect(f.leaning).toBe('legitimate');
    expect(f.facts).toMatchObject({ kind: 'ftp-active-data', host: US, peer: THEM, count: dataSyns.length, requests: commands.length, unmatched: 0, unchecked: 0 });
    // The trigger is the first command, as tshark numbers and reads it.
    expect(f.facts!.trigger).toContain(`"PORT ${commands[0][2]}"`);
    expect(f.summary).toContain(`"PORT ${commands[0][2]}"`);
    const quoted = f.evidence.filter((e) => /"(PORT|EPRT) /.test(e.excerpt));
    for (const q of quoted) {
      const c = commands.find((x) => Number(x[0]) === q.packet);
      expect(c, `packet ${q.packet}`).toBeDefined();
      expect(q.excerpt).toContain(`"${c![1]} ${c![2]}"`);
    }
    expect(quoted.map((q) => q.packet)).toContain(Number(commands.at(-1)![0]));
    const synRefs = f.evidence.filter((e) => e.excerpt.includes(`${US}:20 > ${THEM}:`));
    expect(synRefs.map((e) => String(e.packet))).toEqual(dataSyns.map((d) => d[0]));
    expect(f.strength).toBeGreaterThanOrEqual(0.8);
  });

  it('passive FTP (the same client and server): the client opens every data connection, nothing of ours to explain, no finding', async () => {
    const ctx = makeContext({ events: await readFixture('pcap/requested-ftp-passive.pcap'), accused: [US], targets: [THEM] });
    expect(tshark('requested-ftp-passive.pcap', 'ftp.request.command == "PASV"', ['frame.number']).length).toBe(4);
    expect(answers(ctx)).toEqual([]);
    expect(outboundScan.detect(ctx)).toEqual([]);
  });

  it('Linux traceroute through and to our router: every time exceeded and port unreachable of ours answers a probe of theirs', async () => {
    const ctx = makeContext({ events: await readFixture('pcap/requested-traceroute.pcap'), accused: [US], targets: [THEM] });
    const errors = tshark('requested-traceroute.pcap', `ip.src == ${US} && (icmp.type == 11 || icmp.type == 3)`, ['frame.number', 'icmp.type']);
    expect(new Set(errors.map((e) => e[1]))).toEqual(new Set(['11', '3']));
    const [f, ...rest] = answers(ctx);
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ kind: 'traceroute-replies', host: US, peer: THEM, count: errors.length, unmatched: 0 });
    // The first probe is quoted, with the TTL 1 it arrived with.
    expect(f.facts!.trigger).toMatch(new RegExp(`^\\S+ \\S+ ${THEM.replace(/\./g, '\\.')}:\\d+ > 192\\.0\\.2\\.7:33434 udp len 32, ttl 1$`));
  });

  it('corpus ppa__osfingerprinting: an ICMP trace with rising TTL (1, 2, 3 ...) to our host, each echo answered: traceroute replies', async () => {
    const ctx = await corpusContext('pcap/ppa__osfingerprinting.pcap', ['10.0.0.2'], ['10.0.0.29']);
    const file = join(corpusDir, 'pcap', 'ppa__osfingerprinting.pcap');
    const replies = tshark(file, 'ip.src == 10.0.0.2 && ip.dst == 10.0.0.29 && icmp.type == 0', ['frame.number']);
    const ttls = tshark(file, 'ip.src == 10.0.0.29 && icmp.type == 8', ['ip.ttl']).map((t) => Number(t[0]));
    expect(ttls.slice(0, 4)).toEqual([1, 2, 3, 4]);
    const [f, ...rest] = answers(ctx);
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ kind: 'traceroute-replies', host: '10.0.0.2', peer: '10.0.0.29', count: replies.length, unmatched: 0 });
    expect(f.facts!.trigger).toContain('10.0.0.29 > 10.0.0.2 icmp echo request');
    expect(f.facts!.trigger).toMatch(/ttl 1$/);
  });

  it('corpus evilfingers UDP scan: our port unreachable for a scan probe that landed on port 33459 (TTL 54) is no traceroute', async () => {
    const ctx = await corpusContext('pcap/evilfingers__UDP_SCAN.pcap', ['192.168.1.25'], ['192.168.1.10']);
    expect(answers(ctx)).toEqual([]);
  });
});

describe('answer-to-their-request on written traffic', () => {
  it('ident: our connections to their port 113, each 0.2 s after they connected to our IRC port, are callbacks; a late one is not', async () => {
    const cap = identCallbacks(new Capture(), [THEM, THEM, THEM]);
    identCallbacks(cap, [THEM], { start: T0 + 60_000_000, delayUs: 45_000_000 });
    const ctx = await evidenceContext('irc.pcap', cap.pcap(), [US], [THEM]);
    const [f] = answers(ctx);
    expect(f.facts).toMatchObject({ kind: 'ident-callback', count: 3, requests: 3, unmatched: 1, shapeUnmatched: 1 });
    expect(f.summary).toContain('port 113 3 times');
    expect(f.summary).toContain('our port 6667');
    expect(f.summary).toContain('1 other packet of ours');
    // Three of four explained: weaker than all.
    expect(f.strength).toBeLessThan(0.8);
    expect(f.strength).toBeGreaterThan(0.5);
    expect(f.evidence[0].excerpt).toContain(`${THEM}:50000 > ${US}:6667 tcp [S] SYN`);
    // Another host of ours connecting to their 113 right after they connected to ${US}: not a question that server asked.
    const other = new Capture().tcp(T0, { src: THEM, dst: US, sport: 50000, dport: 6667, flags: 'S' })
      .tcp(T0 + 200_000, { src: '198.51.100.11', dst: THEM, sport: 40000, dport: 113, flags: 'S' });
    expect(answers(await evidenceContext('other.pcap', other.pcap(), [US, '198.51.100.11'], [THEM]))).toEqual([]);
  });

  it('traceroute: a probe that reached us with TTL 1 explains our time exceeded quoting it; an error quoting a probe we never saw does not', async () => {
    const cap = new Capture();
    traceProbe(cap, T0, { dst: '192.0.2.7', ttl: 1, dport: 33434, answer: 'time-exceeded' });
    traceProbe(cap, T0 + 1000, { dst: US, ttl: 3, dport: 33437, answer: 'unreachable' });
    const ctx = await evidenceContext('trace.pcap', cap.pcap(), [US], [THEM]);
    expect(answers(ctx)[0].facts).toMatchObject({ kind: 'traceroute-replies', count: 2, unmatched: 0 });
    // Only our errors, without their probes: nothing of theirs earlier in the evidence.
    const ours = new Capture();
    for (let i = 1; i < cap.frames.length; i += 2) ours.frames.push(cap.frames[i]);
    expect(answers(await evidenceContext('ours.pcap', ours.pcap(), [US], [THEM]))).toEqual([]);
  });

  it('mtr (ICMP echo with rising TTL): our time exceeded for TTL 1 and our echo replies as the last hop are one traceroute; plain pings are no finding', async () => {
    const cap = new Capture();
    for (let i = 0; i < 3; i++) {
      echoProbe(cap, T0 + i * 1_000_000, { dst: '192.0.2.7', ttl: 1, seq: 2 * i, answer: 'time-exceeded' });
      echoProbe(cap, T0 + i * 1_000_000 + 1000, { dst: US, ttl: 2, seq: 2 * i + 1, answer: 'echo-reply' });
    }
    const [f, ...rest] = answers(await evidenceContext('mtr.pcap', cap.pcap(), [US], [THEM]));
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ kind: 'traceroute-replies', count: 6, unmatched: 0 });
    expect(f.summary).toContain('3 ICMP errors (time exceeded / port unreachable) and 3 echo replies');
    const pings = new Capture();
    for (let i = 0; i < 3; i++) echoProbe(pings, T0 + i * 1_000_000, { dst: US, ttl: 60, seq: i, answer: 'echo-reply' });
    expect(answers(await evidenceContext('ping.pcap', pings.pcap(), [US], [THEM]))).toEqual([]);
  });

  it('an FTP data connection to a port no PORT named, and PORT naming a third party (FTP bounce), explain nothing', async () => {
    const cap = activeFtp(new Capture(), 3, { portFor: (i) => 30000 + i * 17 + (i === 1 ? 1 : 0) });
    const ctx = await evidenceContext('ftp.pcap', cap.pcap(), [US], [THEM]);
    expect(answers(ctx)[0].facts).toMatchObject({ kind: 'ftp-active-data', count: 2, unmatched: 1 });
    const bounce = new Capture().tcp(T0, { src: '192.0.2.99', dst: US, sport: 41000, dport: 21, flags: 'PA', payload: 'PORT 203,0,113,5,117,48\r\n' })
      .tcp(T0 + 500, { src: US, dst: THEM, sport: 20, dport: 30000, flags: 'S' });
    expect(answers(await evidenceContext('bounce.pcap', bounce.pcap(), [US], [THEM]))).toEqual([]);
    // Our connection first, their PORT naming it afterwards: a request cannot cause what came before it.
    const after = new Capture().tcp(T0, { src: US, dst: THEM, sport: 20, dport: 30000, flags: 'S' })
      .tcp(T0 + 500, { src: THEM, dst: US, sport: 41000, dport: 21, flags: 'PA', payload: 'PORT 203,0,113,5,117,48\r\n' });
    expect(answers(await evidenceContext('after.pcap', after.pcap(), [US], [THEM]))).toEqual([]);
  });

  it('our host connecting to their ports 20 and 113 with no request from them: no answer finding, and the scan detector still speaks', async () => {
    const hosts = Array.from({ length: 30 }, (_, i) => `203.0.113.${10 + i}`);
    const cap = unasked(unasked(new Capture(), hosts, 113), hosts, 20, { start: T0 + 10_000_000 });
    const ctx = await evidenceContext('unasked.pcap', cap.pcap(), [US], []);
    expect(answers(ctx)).toEqual([]);
    const scans = outboundScan.detect(ctx);
    expect(scans.map((s) => [s.id, s.facts?.ports])).toEqual([['outbound-sweep', ['tcp/113', 'tcp/20']]]);
  });
});
