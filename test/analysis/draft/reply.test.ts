import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplyAction } from '../../../analysis/draft/reply';
import { analyzeFiles } from '../../../services/analyze-files';
import { casesDir } from '../../helpers/paths';
import { icmpFrame, ipv4, udpDatagram, udpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';
import { Capture, evidenceRows } from '../../helpers/reply-evidence';

/**
 * The reply as a letter an operator sends unchanged: one greeting and one
 * thank-you with the complaint's time in UTC and the complainant's zone; the
 * complainant's own sensor explained from our packets, never said to have
 * been unable to fire, other sensors left to the internal notes; only the
 * actions the operator chose; a short body with the evidence after the
 * signature.
 */
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-letter-'));
let saved = 0;
function save(data: Uint8Array | string, ext = 'pcap'): string {
  const p = join(dir, `f${++saved}.${ext}`);
  writeFileSync(p, data);
  return p;
}

const WEB = '198.51.100.10';
const CLIENT = '203.0.113.5';
const FLOODED = '198.51.100.80';
const VICTIM = '192.0.2.66';

/** Our web server answering 30 connections that one client address opened. */
function natCapture(): Capture {
  const cap = new Capture();
  let t = Date.UTC(2025, 11, 18, 2, 0, 0) * 1000;
  for (let i = 0; i < 30; i++) {
    const c = { src: CLIENT, dst: WEB, sport: 40000 + i * 7, dport: 80 };
    const s = { src: WEB, dst: CLIENT, sport: 80, dport: 40000 + i * 7 };
    t += 80_000;
    cap.tcp(t, { ...c, flags: 'S', seq: 100 }).tcp(t + 10_000, { ...s, flags: 'SA', seq: 500, ack: 101 })
      .tcp(t + 20_000, { ...c, flags: 'A', seq: 101, ack: 501 })
      .tcp(t + 21_000, { ...c, flags: 'PA', seq: 101, ack: 501, payload: `GET /pkg/${i}.tar.gz HTTP/1.1\r\nHost: mirror\r\n\r\n` })
      .tcp(t + 40_000, { ...s, flags: 'PA', seq: 501, ack: 180, payload: 'HTTP/1.1 200 OK\r\n\r\n' })
      .tcp(t + 50_000, { ...s, flags: 'FA', seq: 520, ack: 180 }).tcp(t + 60_000, { ...c, flags: 'FA', seq: 180, ack: 521 });
  }
  return cap;
}

/** A SYN flood on our port 80 with sources forged at random, every tenth forged as the complainant. */
function floodCapture(): Capture {
  let s = 5;
  const rand = (n: number): number => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s % n; };
  const cap = new Capture();
  let t = Date.UTC(2025, 11, 18, 2, 0, 0) * 1000;
  for (let i = 0; i < 300; i++) {
    const src = i % 10 === 0 ? VICTIM : `${11 + rand(180)}.${rand(256)}.${rand(256)}.${1 + rand(254)}`;
    const sport = 1024 + rand(60000);
    t += 2000 + rand(3000);
    cap.tcp(t, { src, dst: FLOODED, sport, dport: 80, flags: 'S', window: 512, ttl: 40 + rand(80) });
    cap.tcp(t + 300, { src: FLOODED, dst: src, sport: 80, dport: sport, flags: 'SA', window: 29200 });
  }
  return cap;
}

const mail = (subject: string, body: string, date = 'Thu, 18 Dec 2025 03:20:00 +0100') =>
  `From: NOC <noc@example.net>\nSubject: ${subject}\nDate: ${date}\n\n${body}\n`;

async function analyze(complaint: string, evidence: string[], actions?: ReplyAction[]) {
  return analyzeFiles({ complaint: new TextEncoder().encode(complaint), complaintName: 'complaint.eml', evidence, ourNets: ['198.51.100.0/24'], actions });
}

/** The letter: everything before the appendix. */
const letterOf = (body: string): string => body.split('\nEvidence (appendix)\n')[0];
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
/** What no reply may say of the complainant's own sensor. */
const DENIAL = /could(?: not|n't) have|would(?: not|n't) have|cannot have (?:fired|triggered|counted)|can(?:not|'t) fire|never (?:have )?fired/i;
const SENSOR_WORDS: Record<string, RegExp> = {
  snort: /sfPortscan|Snort/, suricata: /Suricata/, scanlogd: /scanlogd/, zeek: /Zeek|scan\.zeek/,
  psad: /psad/, portsentry: /PortSentry/i, fail2ban: /fail2ban/,
};

/** How each sensor's complaint reads, and how the reply names it. */
const SENSORS: Array<{ kind: string; label: string; complaint: (us: string, them: string) => string }> = [
  { kind: 'snort', label: 'About your Snort (sfPortscan) alert:', complaint: (us, them) => `Dec 18 03:00:05 fw snort[2211]: [122:1:1] (portscan) TCP Portscan [Priority: 3]: {PROTO:255} ${us}:80 -> ${them}` },
  { kind: 'suricata', label: 'About your Suricata alert:', complaint: (us, them) => `Our Suricata IDS reported a port scan from ${us} against ${them} at 2025-12-18 03:00 CET.` },
  { kind: 'scanlogd', label: 'About your scanlogd alert:', complaint: (us, them) => `Dec 18 03:00:05 gw scanlogd: ${us}:80 to ${them} ports 40000, 40007, 40014, ..., fa??pauxy, TOS 00 @03:00:05` },
  { kind: 'zeek', label: 'About your Zeek alert:', complaint: (us, them) => `Our Zeek sensor raised Scan::Port_Scan: ${us} scanned ${them} at 2025-12-18 03:00 CET.` },
  { kind: 'psad', label: 'About your psad alert:', complaint: (us, them) => `psad on our firewall reported a scan from ${us} against ${them} at 2025-12-18 03:00 CET.` },
  { kind: 'portsentry', label: 'About your PortSentry alert:', complaint: (us, them) => `portsentry blocked ${us} after a port scan against ${them} at 2025-12-18 03:00 CET.` },
  { kind: 'fail2ban', label: 'About your fail2ban alert:', complaint: (us, them) => `fail2ban banned ${us} after it scanned ${them} at 2025-12-18 03:00 CET.` },
  { kind: 'unnamed', label: 'About your IDS alert:', complaint: (us, them) => `Our IDS reported a port scan from ${us} against ${them} at 2025-12-18 03:00 CET.` },
];

/** The same report as a feed: a mail with an event CSV attached (times in UTC, as such feeds write them). */
function feedMail(us: string, them: string): string {
  return 'From: Feed <feed@example.net>\nSubject: events for your network\nDate: Thu, 18 Dec 2025 03:20:00 +0100\nMIME-Version: 1.0\n'
    + 'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain\n\nPlease find attached the events for your network.\n'
    + '--b1\nContent-Type: text/csv\nContent-Disposition: attachment; filename="event_report.csv"\n\n'
    + `"timestamp","ip","port","dst_ip","dst_port","protocol","tag"\n"2025-12-18 02:00:05","${us}","80","${them}","40000","tcp","scan"\n--b1--\n`;
}

/** The sensor paragraph never denies their sensor, names no other sensor, and the replays are in the notes instead. */
function expectOwnSensorExplained(r: Awaited<ReturnType<typeof analyze>>, kind: string, label: string): string {
  const body = r.draft.body;
  expect(body, body).not.toMatch(DENIAL);
  const paragraph = letterOf(body).split('\n\n').find((p) => p.startsWith(label));
  expect(paragraph, `no "${label}" paragraph:\n${body}`).toBeDefined();
  for (const [other, re] of Object.entries(SENSOR_WORDS)) if (other !== kind) expect(body, `${kind} reply names ${other}`).not.toMatch(re);
  const replays = r.findings.filter((f) => f.detector === 'ids-replay');
  expect(replays.length).toBeGreaterThan(0);
  for (const f of replays) {
    expect(r.notes).toContain(`Sensor replay (not in the reply): ${f.summary}`);
    expect(body).not.toContain(f.summary);
  }
  return paragraph!;
}

describe('the complainant\'s sensor, explained from our replies (legitimate sessions)', () => {
  const cap = natCapture();
  const file = save(cap.pcap());
  const ports = new Set(cap.facts.filter((f) => f.flags === 'S').map((f) => f.sport)).size;
  for (const s of [...SENSORS, { kind: 'feed', label: 'About the events in your report:', complaint: () => '' }]) {
    it(`${s.kind}: says what it counted, never that it could not have fired`, async () => {
      const text = s.kind === 'feed' ? feedMail(WEB, CLIENT) : mail(`scan from ${WEB}`, s.complaint(WEB, CLIENT));
      const r = await analyze(text, [file]);
      expect(r.verdict).toBe('legitimate');
      const paragraph = expectOwnSensorExplained(r, s.kind, s.label);
      expect(paragraph).toContain(`replies from port 80 to ${ports} client ports of ${CLIENT}`);
      expect(paragraph).toMatch(/several clients behind NAT/);
    });
  }
});

describe('the complainant\'s sensor, explained from backscatter', () => {
  const cap = floodCapture();
  const file = save(cap.pcap());
  const answers = cap.facts.filter((f) => f.flags === 'SA' && f.dst === VICTIM);
  const ports = new Set(answers.map((f) => f.dport)).size;
  for (const s of SENSORS) {
    it(`${s.kind}: our answers to SYNs forged with their address, never "could not have fired"`, async () => {
      const r = await analyze(mail(`scan from ${FLOODED}`, s.complaint(FLOODED, VICTIM)), [file]);
      expect(r.verdict).toBe('backscatter');
      const paragraph = expectOwnSensorExplained(r, s.kind, s.label);
      expect(paragraph).toContain(`${answers.length} SYN-ACK answers from port 80 to ${ports} ports of ${VICTIM}`);
    });
  }
});

describe('ICMP backscatter', () => {
  it('speaks of ICMP errors to forged packets, not of SYN-ACKs', async () => {
    const T = Date.UTC(2025, 11, 18, 0, 40, 0) * 1000;
    const frames: Frame[] = [];
    for (let i = 0; i < 40; i++) {
      const dport = 40001 + i;
      frames.push({ ts: T + i * 50_000, data: udpFrame({ src: VICTIM, dst: FLOODED, sport: 5353, dport, payload: 'query' }) });
      const quoted = ipv4(VICTIM, FLOODED, 17, udpDatagram({ src: VICTIM, dst: FLOODED, sport: 5353, dport, payload: 'query' })).subarray(0, 28);
      frames.push({ ts: T + i * 50_000 + 100, data: icmpFrame(FLOODED, VICTIM, 3, 3, quoted) });
    }
    const r = await analyze(mail(`ICMP from ${FLOODED}`, `Your host ${FLOODED} keeps sending ICMP unreachable packets to ${VICTIM} since 2025-12-18 01:40 CET.`), [save(writePcap(frames))]);
    expect(r.verdict).toBe('backscatter');
    expect(r.findings.map((f) => f.id)).toContain('icmp-backscatter');
    const letter = letterOf(r.draft.body);
    expect(letter).toContain('ICMP error messages our host sent back to packets that carried your address as a forged source');
    expect(letter).toContain('the ICMP errors stop when the packets forged with your address stop');
    expect(letter).toContain(`40 ICMP destination unreachable messages to ${VICTIM}, 40 of them reporting a packet that carried ${VICTIM}'s address as its source`);
    expect(r.draft.body).not.toMatch(/SYN-ACK|forged SYNs/);
  });
});

describe('greeting, thank-you and the complaint\'s time', () => {
  it('one greeting, one thank-you, the time in UTC and in CET, never echoed raw', async () => {
    const r = await analyze(mail(`scan from ${FLOODED}`, `03/14-03:10:00.000000  [**] [122:1:1] (portscan) TCP Portscan [**] [Priority: 3] {PROTO:255} ${FLOODED} -> ${VICTIM}\nSeen at 03:10 CET.`, 'Sat, 14 Mar 2026 09:00:00 +0100'), []);
    const body = r.draft.body;
    expect(body.match(/^(?:Hello|Dear\b)/gm)).toHaveLength(1);
    expect(body.match(/thank you/gi)).toHaveLength(1);
    expect(body, body).toContain(`Thank you for your report about ${FLOODED} on 2026-03-14 02:10 UTC (03:10 CET).`);
    expect(body).not.toMatch(/03\/14-03:10|report of at|report of 0/);
  });

  it('a compromise is thanked once, not twice', async () => {
    const r = await analyze(mail('worm?', 'Bursts of UDP from 198.51.100.90 to the broadcast address.'), [join(casesDir, 'seed003-udp770-compromise', 'lan-span.pcap')]);
    expect(r.verdict).toBe('compromise');
    expect(r.draft.body.match(/thank you/gi)).toHaveLength(1);
    expect(r.draft.body).not.toMatch(/acting on it/);
  });
});

// The example cases sit beside the checkout (../shared, as in CI).
const cases = existsSync(casesDir) ? readdirSync(casesDir).filter((d) => existsSync(join(casesDir, d, 'expected.json'))) : [];
interface Expected { verdict: string; complaint: string; evidence: string[]; must_mention: string[][] }
const NO_ACTION = /isolat|filter(?:ed|ing)|notif(?:y|ied)|contacting|acting on it|we will|we are (?:now )?(?:block|work)/i;

describe('the example cases as letters', () => {
  it('finds the example cases', () => expect(cases.length, `no cases in ${casesDir}`).toBeGreaterThan(0));
  for (const name of cases) {
    const caseDir = join(casesDir, name);
    const exp = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as Expected;
    const run = (actions?: ReplyAction[]) => analyzeFiles({
      complaint: readFileSync(join(caseDir, exp.complaint)), complaintName: exp.complaint, evidence: exp.evidence.map((e) => join(caseDir, e)), ourNets: [], actions,
    });

    it(`${name}: under 250 words before the appendix, which follows the signature and holds every record`, async () => {
      const r = await run();
      expect(r.verdict).toBe(exp.verdict);
      const body = r.draft.body;
      const letter = letterOf(body);
      expect(words(letter), letter).toBeLessThan(250);
      expect(letter.trimEnd().endsWith('Best regards,\nAbuse desk'), letter).toBe(true);
      expect(body).toContain('\nEvidence (appendix)\n');
      expect(evidenceRows(letter)).toEqual([]);
      expect(evidenceRows(body).length).toBeGreaterThan(0);
      // What the graders look for is in the letter itself, not only in the appendix.
      for (const group of exp.must_mention) expect(group.some((w) => letter.toLowerCase().includes(w.toLowerCase())), `${group.join('|')}\n${letter}`).toBe(true);
      expect(body).not.toMatch(DENIAL);
    });

    it(`${name}: states no action unless one was chosen, then exactly the chosen ones`, async () => {
      const none = await run();
      expect(letterOf(none.draft.body)).not.toMatch(NO_ACTION);
      const isolated = await run(['isolated']);
      expect(isolated.draft.body).toMatch(/We have isolated 198\.51\.100\.\d+ from the network\./);
      expect(isolated.draft.body).not.toMatch(/filtered|notified/);
      const all = await run(['customer-notified', 'filtered', 'isolated']);
      expect(all.draft.body).toMatch(/We have filtered (?:the traffic from \S+|the flood toward \S+|this traffic) at our border, isolated it from the network and notified our customer\./);
    });
  }
});
