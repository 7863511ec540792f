import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import type { LineParser } from '../../../analysis/ingest/reader';
import { looksLikeMail, MAX_TEXT_CHARS, parseComplaint, readComplaint } from '../../../analysis/complaint/parse-complaint';
import { casesDir, corpusDir, filesIn, fixturesDir } from '../../helpers/paths';

const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const iso = (us: number): string => new Date(us / 1000).toISOString();
const abuseio = join(corpusDir, 'complaints', 'abuseio');
const fixture = (name: string): Uint8Array => read(join(fixturesDir, 'complaints', name));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('the example cases', () => {
  it('seed001-nat-legit: snort syslog line, year-less time', async () => {
    const c = await parseComplaint(read(join(casesDir, 'seed001-nat-legit', 'complaint.txt')), { nowMs: Date.UTC(2026, 1, 3) });
    expect(c.format).toBe('text');
    expect(c.subject).toBe('scan from 198.51.100.81');
    expect(c.accused).toEqual(['198.51.100.81']);
    expect(c.targets).toEqual(['192.0.2.10']);
    expect(c.ports.source).toEqual([80]);
    expect(c.activity).toBe('port-scan');
    expect(c.sensor).toBe('snort');
    expect(c.times).toHaveLength(1);
    expect(c.times[0]).toMatchObject({ text: 'Feb  1 23:00:01', zone: 'UTC', zoneAssumed: true });
    expect(iso(c.times[0].ts)).toBe('2026-02-01T23:00:01.000Z');
  });

  it('seed001-synflood-backscatter: accused, source port 80, target, 137 ports, exact UTC start', async () => {
    const c = await parseComplaint(read(join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt')));
    expect(c.accused).toEqual(['198.51.100.80']);
    expect(c.targets).toEqual(['192.0.2.66']);
    expect(c.ports).toEqual({ source: [80], destination: [] });
    expect(c.claimedCount).toBe(137);
    expect(c.activity).toBe('port-scan');
    expect(c.times).toHaveLength(1);
    expect(c.times[0]).toMatchObject({ text: '2025-12-18 00:40 UTC', zone: 'UTC', zoneAssumed: false });
    expect(c.times[0].ts).toBe(Date.UTC(2025, 11, 18, 0, 40) * 1000);
    expect(c.zone).toBe('UTC');
    expect(c.warnings).toEqual([]);
  });

  it('seed003-udp770-compromise: worm, UDP, source port 770', async () => {
    const c = await parseComplaint(read(join(casesDir, 'seed003-udp770-compromise', 'complaint.txt')));
    expect(c.accused).toEqual(['198.51.100.90']);
    expect(c.ports.source).toEqual([770]);
    expect(c.protocol).toBe('udp');
    expect(c.activity).toBe('worm');
  });

  it('every case lists its expected accused address', async () => {
    for (const dir of filesIn(casesDir, /^expected\.json$/)) {
      const expected = JSON.parse(readFileSync(dir, 'utf8')) as { accused: string; complaint: string };
      const c = await parseComplaint(read(join(dir, '..', expected.complaint)));
      expect(c.accused, dir).toContain(expected.accused);
    }
  });
});

describe('abuseio corpus', () => {
  const files = filesIn(abuseio, /\.eml$/);
  it('has samples', () => expect(files.length).toBeGreaterThan(50));

  it('every sample parses as mail with a reporter, an accused address and no HTML in the text', async () => {
    for (const f of files) {
      const c = await parseComplaint(read(f), { fileName: basename(f) });
      expect(c.format, f).not.toBe('text');
      expect(c.reporter.address, f).toMatch(/@/);
      expect(c.accused.length, f).toBeGreaterThan(0);
      expect(c.text, f).not.toMatch(/<\s*(?:html|body|script|div|p|table)\b/i);
      // cleanmx samples have a broken subject header; all others have one.
      if (!/cleanmx__Cleanmx_Example_[13]/.test(f)) expect(c.subject, f).toBeTruthy();
    }
  });

  it('ARF (spamexperts): Source-IP accused, spam, Arrival-Date in UTC', async () => {
    const c = await parseComplaint(read(join(abuseio, 'spamexperts__1.eml')));
    expect(c.format).toBe('arf');
    expect(c.accused).toEqual(['172.16.10.13']);
    expect(c.activity).toBe('spam');
    expect(c.reportFields?.['Feedback-Type']).toBe('abuse');
    expect(c.messageId).toBe('<E1ZMXwM-000BDB-52@server1.test17.example.com>');
    expect(c.dateMs).toBe(Date.UTC(2015, 7, 4, 8, 51, 18));
    expect(c.zone).toBe('UTC-06:00');
    expect(c.times.map((t) => t.ts)).toContain(Date.UTC(2015, 7, 4, 8, 51, 18) * 1000);
    expect(c.warnings.some((w) => /172\.16\.10\.13 is private/.test(w))).toBe(true);
    expect(c.attachments.some((a) => a.contentType === 'message/feedback-report')).toBe(true);
  });

  it('ARF (AOL feedback loop, HTML body)', async () => {
    const c = await parseComplaint(read(join(abuseio, 'feedback-loop__AOL_example_1.eml')));
    expect(c.format).toBe('arf');
    expect(c.accused).toEqual(['10.17.18.1']);
    expect(c.activity).toBe('spam');
    expect(c.reporter).toMatchObject({ address: 'scomp@aol.net', organisation: 'aol.net' });
  });

  it('X-ARF 0.2 YAML (blocklist.de): Source, Port, Date with offset', async () => {
    const c = await parseComplaint(read(join(abuseio, 'blocklistde__Blocklistde_Example_1.eml')));
    expect(c.format).toBe('xarf-yaml');
    expect(c.accused).toEqual(['10.0.2.150']);
    expect(c.ports.destination).toEqual([80]);
    expect(c.activity).toBe('spam'); // regbot: registration spam
    expect(c.reporter).toMatchObject({ address: 'autogenerated@blocklist.de', organisation: 'blocklist.de' });
    expect(c.times[0].ts).toBe(Date.UTC(2014, 0, 31, 6, 19, 2) * 1000);
    expect(c.zone).toBe('UTC+01:00');
    expect(c.sensor).toBe('fail2ban');
  });

  it('X-ARF 0.2 with IPv6 source', async () => {
    const c = await parseComplaint(read(join(abuseio, 'blocklistde__Blocklistde_Example_2.eml')));
    expect(c.accused).toEqual(['fdf1:cb9d:f59e:19b0::33:4f']);
    expect(c.warnings.some((w) => /unique-local/.test(w))).toBe(true);
  });

  it('a broken Date: header is not replaced by "now"', async () => {
    const c = await parseComplaint(read(join(abuseio, 'cleanmx__Cleanmx_Example_1.eml')));
    expect(c.dateMs).toBeUndefined();
    expect(c.warnings.some((w) => /Date: header/.test(w))).toBe(true);
    expect(c.accused).toEqual(['192.168.2.20']);
  });

  it('Shadowserver zip attachment: unzipped CSV gives accused, ports and UTC times', async () => {
    const c = await parseComplaint(read(join(abuseio, 'shadowserver__2019-10-15-scan_dns-sample-asn.csv.zip.eml')));
    expect(c.accused).toEqual(['31.42.105.195']);
    expect(c.ports.source).toEqual([53]);
    expect(c.protocol).toBe('udp');
    expect(c.activity).toBe('other'); // an open-service report, not a scan by us
    expect(c.times).toEqual([{ ts: Date.UTC(2019, 9, 15, 1, 9, 24) * 1000, text: '2019-10-15 01:09:24', zone: 'UTC', zoneAssumed: false }]);
    expect(c.attachments[0].filename).toMatch(/\.zip$/);
  });

  it('Shadowserver drone report is malware', async () => {
    const c = await parseComplaint(read(join(abuseio, 'shadowserver__2015-01-01-sinkhole_http_drone-sample-asn.csv.zip.eml')));
    expect(c.activity).toBe('worm');
    expect(c.accused.length).toBeGreaterThan(3);
  });

  it('AbuseHub: CSV attachments and the body agree on the drone', async () => {
    const c = await parseComplaint(read(join(abuseio, 'abusehub__Abusehub_Example_1.eml')));
    expect(c.accused).toEqual(['172.16.10.13']);
    expect(c.activity).toBe('worm');
    expect(c.ports.source).toContain(2005);
    expect(c.times.map((t) => t.ts)).toContain(Date.UTC(2015, 2, 2, 0, 45, 59) * 1000);
  });
});

describe('X-ARF JSON and Shadowserver CSV as the complaint itself', () => {
  const xarf = join(corpusDir, 'complaints', 'xarf');
  it('v4 port scan', async () => {
    const c = await parseComplaint(read(join(xarf, 'xarf-spec__v4_connection-port-scan.json')));
    expect(c.format).toBe('xarf-json');
    expect(c.accused).toEqual(['198.51.100.150']);
    expect(c.targets).toEqual(['203.0.113.50']);
    expect(c.ports.source).toEqual([54321]);
    expect(c.ports.destination).toContain(443);
    expect(c.activity).toBe('port-scan');
    expect(c.protocol).toBe('tcp');
    expect(c.reporter.organisation).toBe('Network Security Monitoring');
    expect(c.times.map((t) => t.ts)).toContain(Date.UTC(2025, 0, 11, 11, 20) * 1000);
    expect(c.attachments.length).toBe(1);
  });

  it('v3 (abusix) login attack and v3 spec DDoS', async () => {
    const a = await parseComplaint(read(join(xarf, 'abusix-xarf__v3_loginattack_sample.json')));
    expect(a).toMatchObject({ accused: ['192.0.2.55'], targets: ['198.51.100.33'], activity: 'brute-force' });
    const d = await parseComplaint(read(join(xarf, 'xarf-spec__v3_ddos_v3_sample.json')));
    expect(d).toMatchObject({ accused: ['172.16.254.10'], targets: ['203.0.113.100'], activity: 'flood', protocol: 'udp' });
    expect(d.ports).toEqual({ source: [53], destination: [80] });
  });

  it('every X-ARF JSON sample parses', async () => {
    for (const f of filesIn(xarf, /\.json$/)) {
      const c = await parseComplaint(read(f));
      expect(c.format, f).toBe('xarf-json');
      expect(c.times.length, f).toBeGreaterThan(0);
    }
  });

  it('a bare Shadowserver CSV', async () => {
    const f = filesIn(join(corpusDir, 'complaints', 'shadowserver-csv'), /scan_ntp-sample/)[0];
    const c = await parseComplaint(read(f), { fileName: basename(f) });
    expect(c.format).toBe('csv');
    expect(c.accused).toContain('76.22.142.205');
    expect(c.ports.source).toContain(123);
    expect(c.times.every((t) => t.zone === 'UTC' && !t.zoneAssumed)).toBe(true);
  });
});

describe('own fixtures', () => {
  it('CET written next to the time, ports 1-1024, scanlogd, target network', async () => {
    const c = await parseComplaint(fixture('cet-portscan.eml'));
    expect(c.accused).toEqual(['198.51.100.20']);
    expect(c.targets).toContain('203.0.113.5');
    expect(c.times).toHaveLength(1);
    expect(c.times[0]).toMatchObject({ text: '18 Dec 2025 01:40 CET', zone: 'UTC+01:00', zoneAssumed: false });
    expect(c.times[0].ts).toBe(Date.UTC(2025, 11, 18, 0, 40) * 1000);
    expect(c.zone).toBe('UTC+01:00');
    expect(c.ports.destination).toHaveLength(1024);
    expect(c.portRanges).toEqual([{ from: 1, to: 1024, side: 'destination' }]);
    expect(c.protocol).toBe('tcp');
    expect(c.sensor).toBe('scanlogd');
    expect(c.claimedCount).toBe(1024);
    expect(c.reporter).toMatchObject({ name: 'NOC Team', organisation: 'example-isp.test' });
  });

  it('"all times are local" with Date: -0500', async () => {
    const c = await parseComplaint(fixture('local-times.eml'));
    expect(c.zone).toBe('UTC-05:00');
    expect(c.times.map((t) => iso(t.ts))).toEqual(['2025-12-15T03:15:00.000Z', '2025-12-15T03:47:10.000Z']);
    expect(c.times[0].zone).toBe('UTC-05:00');
    expect(c.accused).toEqual(['198.51.100.33']);
    expect(c.targets).toEqual(['192.0.2.44']);
    expect(c.ports.destination).toEqual([22]);
    expect(c.activity).toBe('brute-force');
    expect(c.claimedCount).toBe(312);
    expect(c.sensor).toBe('fail2ban');
  });

  it('hostile HTML: text only, no script, no tags', async () => {
    const c = await parseComplaint(fixture('hostile-html.eml'));
    expect(c.text).toContain('Your host 198.51.100.44 performed an SSH brute force attack against 203.0.113.9.');
    expect(c.text).not.toMatch(/<|>|script|document\.|fetch\(|onerror|onload|display:none|alert\([123]\)/i);
    expect(c.accused).toEqual(['198.51.100.44']);
    expect(c.targets).toEqual(['203.0.113.9']);
    expect(c.activity).toBe('brute-force');
    expect(c.times.map((t) => iso(t.ts))).toEqual(['2025-12-01T23:10:00.000Z', '2025-12-01T23:55:00.000Z']);
  });

  it('loopback source port 80 (seed 000): listed, with a warning', async () => {
    const c = await parseComplaint(fixture('loopback-blaster.txt'));
    expect(c.accused).toEqual(['127.0.0.1']);
    expect(c.ports.source).toEqual([80]);
    expect(c.warnings).toContain('accused address 127.0.0.1 is loopback: no network can route it');
  });

  it('snort mail with a log attachment and a binary one', async () => {
    const c = await parseComplaint(fixture('snort-quoted.eml'));
    expect(c.accused).toEqual(['198.51.100.81']);
    expect(c.targets).toEqual(['192.0.2.10', '192.0.2.11']);
    expect(c.ports).toEqual({ source: [80], destination: [22] });
    expect(c.zone).toBe('UTC+01:00');
    expect(iso(c.times[0].ts)).toBe('2026-02-01T22:00:01.000Z');
    expect(c.attachments.map((a) => a.filename)).toEqual(['alert.log', 'capture.pcap']);
    expect(c.attachments[1].content).toBeInstanceOf(Uint8Array);
    expect(c.attachments[1].content.slice(0, 4)).toEqual(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1]));
  });
});

describe('accused filtering by our networks', () => {
  it('keeps only addresses inside ourNets, whatever the prose says', async () => {
    const c = await parseComplaint(text('Subject: attack\n\nTraffic 203.0.113.7:5555 -> 198.51.100.12:22 and 203.0.113.8 -> 198.51.100.12:22\n'), { ourNets: ['198.51.100.0/24'] });
    expect(c.accused).toEqual(['198.51.100.12']);
    expect(c.targets).not.toContain('198.51.100.12');
  });

  it('warns when none of the addresses is ours', async () => {
    const c = await parseComplaint(text('scan from 203.0.113.7 to 192.0.2.1'), { ourNets: ['198.51.100.0/24'] });
    expect(c.accused).toEqual(['203.0.113.7']);
    expect(c.warnings.some((w) => /in our networks/.test(w))).toBe(true);
  });
});

describe('prose forms', () => {
  it('"X -> Y" arrows, IPv6 with ports, and "from your server"', async () => {
    const c = await parseComplaint(text('We see SYN flood from your server [2001:db8::5]:443 to our host 2001:db8:ffff::1 (all times UTC)\n'));
    expect(c.accused).toEqual(['2001:db8::5']);
    expect(c.targets).toEqual(['2001:db8:ffff::1']);
    expect(c.ports.source).toEqual([443]);
    expect(c.activity).toBe('flood');
    expect(c.protocol).toBe('tcp');
  });

  it('pasted mail headers (From:/Date:) in text', async () => {
    const c = await parseComplaint(text('From: Dan Hanson <dhanson@securityfocus.example>\nDate: Tue, 28 Oct 2003 08:59:56 -0700 (MST)\n\nportscans from 198.51.100.3 at Oct 27 23:00:00\n'));
    expect(c.reporter).toMatchObject({ address: 'dhanson@securityfocus.example', name: 'Dan Hanson' });
    expect(c.dateMs).toBe(Date.UTC(2003, 9, 28, 15, 59, 56));
    expect(c.zone).toBe('UTC-07:00');
    expect(c.times).toHaveLength(1);
    expect(iso(c.times[0].ts)).toBe('2003-10-28T06:00:00.000Z');
  });

  it('a seed write-up: loopback source from the Blaster story', async () => {
    const { sharedDir } = await import('../../helpers/paths');
    const c = await parseComplaint(read(join(sharedDir, 'seeds', '000_df402fd896184abd.txt')));
    expect(c.accused).toContain('127.0.0.1');
    expect(c.ports.source).toContain(80);
    expect(c.warnings.some((w) => /127\.0\.0\.1 is loopback/.test(w))).toBe(true);
  });
});

describe('robustness', () => {
  it('empty input', async () => {
    const c = await parseComplaint(new Uint8Array(0));
    expect(c.accused).toEqual([]);
    expect(c.warnings).toContain('the complaint is empty');
  });

  it('binary junk', async () => {
    const junk = new Uint8Array(200_000);
    let x = 12345;
    for (let i = 0; i < junk.length; i++) { x = (x * 1103515245 + 12345) >>> 0; junk[i] = x >>> 24; }
    const c = await parseComplaint(junk);
    expect(c.warnings.some((w) => /binary/.test(w))).toBe(true);
  });

  it('a broken mail (header block then a truncated multipart)', async () => {
    const c = await parseComplaint(text('From: a@b.example\nSubject: x 198.51.100.1\nContent-Type: multipart/mixed; boundary="q"\n\n--q\nContent-Type: text/plain\n\nport scan from 198.51.100.1'));
    expect(c.format).toBe('eml');
    expect(c.accused).toEqual(['198.51.100.1']);
  });

  it('a huge body is capped with a warning, quickly', async () => {
    const line = 'filler text without much in it, 2025-12-18 00:40 UTC from 198.51.100.5 port 80\n';
    const big = text(`Subject: scan from 198.51.100.5\n\n${line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))}`);
    const t0 = Date.now();
    const c = await parseComplaint(big);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(c.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(c.warnings.some((w) => /only the first/.test(w))).toBe(true);
    expect(c.accused).toEqual(['198.51.100.5']);
    expect(c.times.length).toBeLessThanOrEqual(1000);
  });

  it('pathological HTML does not hang', async () => {
    const html = `<html><body>${'<a href="'.repeat(50_000)}${'<script>'.repeat(20_000)}</body></html>`;
    const mail = text(`From: x@y.example\nSubject: s\nContent-Type: text/html\n\n${html}`);
    const t0 = Date.now();
    const c = await parseComplaint(mail);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(c.text).not.toMatch(/<script/i);
  });

  it('tells mail from pasted text', () => {
    expect(looksLikeMail('Subject: scan from 1.2.3.4\nFeb  1 23:00:01 fw snort: x\n')).toBe(false);
    expect(looksLikeMail('From: a@b\nTo: c@d\nSubject: x\n\nbody')).toBe(true);
    expect(looksLikeMail('From abuse@x Fri Jan 31 07:19:11 2014\nReturn-Path: <a@b>\nReceived: from x\n\tby y\nSubject: s\n\nbody')).toBe(true);
    expect(looksLikeMail('hello: world\n\n')).toBe(false);
  });
});

describe('quoted log lines', () => {
  /** A stand-in line parser: "EV src dst" lines, times from the reference. */
  const fake: LineParser = {
    format: 'snort',
    match: (line) => (line.startsWith('EV ') ? 0.9 : 0),
    parse(line, at, ctx): NetEvent | null {
      const [, src, dst] = line.split(' ');
      return { kind: 'alert', ts: (ctx.reference?.nearMs ?? 0) * 1000 + 366 * 86_400_000_000, timeInferred: true, src, dst, sport: 80, dport: 1234, source: { file: at.file, line: at.line, offset: at.offset } };
    },
  };

  it('reads lines of the body and of text attachments with the given parsers', async () => {
    const mail = text('From: a@b.example\nSubject: scan\nDate: Mon, 02 Feb 2026 08:30:00 +0100\nContent-Type: multipart/mixed; boundary="q"\n\n--q\nContent-Type: text/plain\n\nplease look:\n> EV 198.51.100.7 192.0.2.1\n--q\nContent-Type: text/plain; name="a.log"\nContent-Disposition: attachment; filename="a.log"\n\nEV 198.51.100.7 192.0.2.2\n--q--\n');
    const c = await parseComplaint(mail, { lineParsers: [fake] });
    expect(c.quotedEvents).toHaveLength(2);
    expect(c.quotedEvents.map((e) => e.source.file)).toEqual(['complaint', 'a.log']);
    expect(c.quotedEvents[0].source.line).toBe(2);
    // An inferred time in the future of the mail is moved back a year.
    expect(c.quotedEvents[0].ts / 1000).toBeLessThanOrEqual(Date.UTC(2026, 1, 2, 7, 30) + 2 * 86_400_000);
    expect(c.accused).toEqual(['198.51.100.7']);
    expect(c.targets).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(c.ports.source).toEqual([80]);
    expect(c.sensor).toBe('snort');
  });
});

describe('quoted log lines with the evidence parsers', () => {
  it('the case snort syslog line becomes an event at the same instant as the stated time', async () => {
    const c = await parseComplaint(read(join(casesDir, 'seed001-nat-legit', 'complaint.txt')), { nowMs: Date.UTC(2026, 1, 3) });
    expect(c.quotedEvents).toHaveLength(1);
    const ev = c.quotedEvents[0];
    expect(ev).toMatchObject({ src: '198.51.100.81', sport: 80, dst: '192.0.2.10', timeInferred: true });
    expect(ev.source).toMatchObject({ file: 'complaint', line: 2 });
    expect(ev.ts).toBe(c.times[0].ts);
  });

  it('body and attachment lines of a snort mail, in the complainant zone', async () => {
    const c = await parseComplaint(fixture('snort-quoted.eml'));
    expect(c.quotedEvents.map((e) => e.source.file)).toEqual(['complaint', 'alert.log', 'alert.log']);
    expect(iso(c.quotedEvents[0].ts)).toBe('2026-02-01T22:00:01.000Z');
    expect(iso(c.quotedEvents[1].ts)).toBe('2026-02-01T22:00:01.123Z');
    expect(c.quotedEvents[2]).toMatchObject({ dst: '192.0.2.11', dport: 22 });
  });
});

describe('readComplaint().again', () => {
  it('is parseComplaint of the same input with the added options, the mail read once', async () => {
    const nowMs = Date.parse('2019-06-01T12:00:00Z');
    const more = { nowMs, nowLabel: "our evidence's time span" };
    const samples = [
      ...['loopback-blaster.txt', 'cet-portscan.eml'].map((n) => join(fixturesDir, 'complaints', n)),
      ...filesIn(abuseio, /\.eml$/).slice(0, 12),
    ];
    const yearless = text('Our sensor saw a port scan from 198.51.100.7 to 192.0.2.10 on Feb  1 23:00:01 (ports 22 and 23).\n');
    let moved = 0;
    for (const p of [...samples, 'yearless.txt']) {
      const bytes = p === 'yearless.txt' ? yearless : read(p);
      const reading = await readComplaint(bytes, { fileName: basename(p) });
      expect(reading.complaint, p).toEqual(await parseComplaint(bytes, { fileName: basename(p) }));
      const again = await reading.again(more);
      expect(again, p).toEqual(await parseComplaint(bytes, { fileName: basename(p), ...more }));
      if (JSON.stringify(again.times) !== JSON.stringify(reading.complaint.times)) moved++;
    }
    // The year-less times of the Date-less complaint moved to the given "now".
    expect(moved).toBeGreaterThan(0);
  });
});
