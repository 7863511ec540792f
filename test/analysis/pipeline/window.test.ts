import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../services/analyze-files';
import { Capture } from '../../helpers/reply-evidence';

/**
 * A verdict is about the complaint's window. The seed's border capture holds
 * a SYN flood on 2025-12-18 from 00:40:00 to 00:41:02 UTC; complaints about
 * other moments must not borrow it.
 */
const capture = join(import.meta.dirname, '../../../../shared/cases/seed001-synflood-backscatter/www-border.pcap');
const analyze = (complaint: string) =>
  analyzeFiles({ complaint: new TextEncoder().encode(complaint), complaintName: 'complaint.eml', evidence: [capture], ourNets: [] });
const mail = (date: string, body: string) => `From: noc@example.net\nSubject: port scan from 198.51.100.80\nDate: ${date}\n\n${body}\n`;

describe('the complaint window', () => {
  it('is inconclusive when the evidence misses the complaint by a day, however strong the evidence is', async () => {
    const r = await analyze(mail('Wed, 17 Dec 2025 09:00:00 +0000', 'Your host 198.51.100.80 (source port 80) scanned 192.0.2.66 on 2025-12-17 00:40 UTC.'));
    expect(r.verdict).toBe('inconclusive');
    expect(r.missing).toContain("our evidence does not cover the complaint's time window");
    expect(r.timeOffsetSeconds).toBe(0);
    // The reply says which span our records cover, so the complainant can see why.
    expect(r.draft.body).toContain('2025-12-18 00:40:00 UTC to 2025-12-18 00:41:02 UTC');
  });

  it('is inconclusive for a time of day alone that the capture does not reach (03:10 CET against 01:40 CET)', async () => {
    const r = await analyze(mail('Thu, 18 Dec 2025 09:00:00 +0100', 'Port scan from 198.51.100.80 port 80 against 192.0.2.66 at 03:10 CET.'));
    expect(r.complaint.times.map((t) => t.text)).toEqual(['at 03:10 CET']);
    expect(r.verdict).toBe('inconclusive');
    expect(r.timeOffsetSeconds, 'an hour and a half is no zone mistake').toBe(0);
  });

  it('decides when a time of day alone falls inside the capture', async () => {
    const r = await analyze(mail('Thu, 18 Dec 2025 09:00:00 +0100', 'Port scan from 198.51.100.80 port 80 against 192.0.2.66 at 01:40 CET.'));
    expect(r.coverage.timesCovered).toBe(1);
    expect(r.verdict).toBe('backscatter');
  });

  it('finds and explains a complaint an hour off in a named zone', async () => {
    // The flood is at 01:40 CET; the complainant wrote 02:40 CET (their sensor on summer time, say).
    const r = await analyze(mail('Thu, 18 Dec 2025 09:00:00 +0100', 'Port scan from 198.51.100.80 port 80 against 192.0.2.66 starting 2025-12-18 02:40 CET.'));
    expect(r.timeOffsetSeconds).toBe(3600);
    expect(r.verdict).toBe('backscatter');
    expect(r.draft.body).toMatch(/shifted by \+1 h/);
  });

  it('does not pick the complainant from the evidence when the complaint names none', async () => {
    const r = await analyze(mail('Thu, 18 Dec 2025 09:00:00 +0100', 'Port scan from 198.51.100.80 port 80 at 01:40 CET, please stop.'));
    expect(r.targets).toEqual([]);
    expect(r.warnings.some((w) => /names no target address; the accused host sent most packets to 192\.0\.2\.66/.test(w))).toBe(true);
    // The forged sources the flood answered are not "your" addresses in the reply.
    for (const peer of r.warnings.join(' ').match(/\d+\.\d+\.\d+\.\d+/g) ?? []) {
      if (peer !== '198.51.100.80') expect(r.draft.body).not.toContain(`to ${peer}`);
    }
  });
});

describe('the confidence and what moved it', () => {
  it('says in the result what took confidence off: a complaint with no time loses some, and says why', async () => {
    const timed = await analyze(mail('Thu, 18 Dec 2025 09:00:00 +0100', 'Port scan from 198.51.100.80 port 80 against 192.0.2.66 on 2025-12-18 00:40 UTC.'));
    const untimed = await analyze(mail('Thu, 18 Dec 2025 09:00:00 +0100', 'Port scan from 198.51.100.80 port 80 against 192.0.2.66, please stop.'));
    expect(timed.verdict).toBe('backscatter');
    expect(untimed.verdict).toBe('backscatter');
    expect(untimed.confidence).toBeLessThan(timed.confidence);
    expect(untimed.confidenceFactors?.map((f) => f.reason)).toContain('the complaint gives no time, so nothing ties our evidence to the moment they saw');
    // The factors add up to the confidence given.
    for (const r of [timed, untimed]) expect(r.confidenceFactors!.reduce((s, f) => s + f.change, 0)).toBeCloseTo(r.confidence, 2);
  });
});

describe('dates off by whole days', () => {
  it('finds quoted firewall lines that match our packets to the second three days later, and says their dates look wrong', async () => {
    // netfilter lines for SYN-ACKs the capture holds (packets 10, 42, 68), dated Dec 15 instead of Dec 18.
    const line = (t: string, dpt: number) => `Dec 15 ${t} fw kernel: IN=eth0 OUT= SRC=198.51.100.80 DST=192.0.2.66 LEN=44 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=80 DPT=${dpt} WINDOW=29200 RES=0x00 ACK SYN URGP=0`;
    const r = await analyze(mail('Mon, 15 Dec 2025 09:00:00 +0000', `Your host scans us:\n${line('00:40:00', 11834)}\n${line('00:40:00', 34297)}\n${line('00:40:01', 58075)}\n`));
    expect(r.complaint.quotedLines).toBe(3);
    expect(r.timeOffsetSeconds).toBe(-3 * 86_400);
    expect(r.warnings.some((w) => /match our evidence only 3 day\(s\) later than they say/.test(w))).toBe(true);
    expect(r.verdict).toBe('backscatter');
    expect(r.draft.body).toContain('when their dates are moved 3 days forward');
  });
});

describe('dates that read both ways', () => {
  it('reads "03/04/2026" day first when our evidence is on 3 April, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-dates-'));
    const cap = new Capture();
    const T = Date.UTC(2026, 3, 3, 10, 0, 0) * 1000;
    for (let i = 0; i < 300; i++) {
      cap.tcp(T + i * 5000, { src: '198.51.100.7', dst: '203.0.113.20', sport: 51000, dport: 1 + i, flags: 'S', window: 1024 });
      cap.tcp(T + i * 5000 + 200, { src: '203.0.113.20', dst: '198.51.100.7', sport: 1 + i, dport: 51000, flags: 'RA' });
    }
    const file = join(dir, 'scan.pcap');
    writeFileSync(file, cap.pcap());
    const r = await analyzeFiles({
      complaint: new TextEncoder().encode('Subject: port scan\n\n198.51.100.7 scanned 203.0.113.20 (ports 1-300) on 03/04/2026 10:00 UTC.\n'),
      complaintName: 'c.txt', evidence: [file], ourNets: [],
    });
    expect(r.warnings).toContain('read "03/04/2026 10:00 UTC" day first (day/month): our evidence covers that date, not the month-first one');
    expect(r.coverage.timesCovered).toBe(1);
    expect(r.verdict).toBe('compromise');
  });

  it('reads "12/18/2025" month first, and "18/12" style ambiguity the way our evidence covers it', async () => {
    // The capture is on 18 December; "12/18/2025" can only be month first.
    const us = await analyze(mail('Thu, 18 Dec 2025 09:00:00 +0000', 'Port scan from 198.51.100.80 port 80 against 192.0.2.66 on 12/18/2025 00:40 UTC.'));
    expect(us.coverage.timesCovered).toBe(1);
    expect(us.verdict).toBe('backscatter');
  });
});
