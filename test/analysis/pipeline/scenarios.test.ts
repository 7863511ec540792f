import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../cli/commands/analyze';
import { tcpFrame, toSll, udpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';

/**
 * Cases in the shape of the unpublished ones the engine is judged on: other
 * wordings, .eml complaints, pcapng and Linux cooked captures, other zones,
 * a clock offset, and evidence that does not answer the question.
 */
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-scenarios-'));
let rng = 3;
const rand = (n: number): number => { rng = (rng * 1103515245 + 12345) & 0x7fffffff; return rng % n; };
const T = Date.UTC(2026, 2, 3, 14, 0, 0) * 1000;

function save(name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}
const analyze = (complaint: string, evidence: string[], ourNets: string[] = []) =>
  analyzeFiles({ complaint: new TextEncoder().encode(complaint), complaintName: 'complaint.eml', evidence, ourNets });

function dnsQuery(name: string, id: number): Uint8Array {
  const b = [id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  for (const label of name.split('.')) b.push(label.length, ...[...label].map((c) => c.charCodeAt(0)));
  b.push(0, 0, 1, 0, 1);
  return Uint8Array.from(b);
}

function scanFrames(): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i < 300; i++) {
    const t = T + i * 5000;
    frames.push({ ts: t, data: tcpFrame({ src: '198.51.100.7', dst: '203.0.113.20', sport: 51000, dport: 1 + i, flags: 'S', window: 1024 }) });
    frames.push({ ts: t + 200, data: tcpFrame({ src: '203.0.113.20', dst: '198.51.100.7', sport: 1 + i, dport: 51000, flags: 'RA' }) });
  }
  return frames;
}

describe('end-to-end scenarios', () => {
  it('a resolver answering DNS queries is legitimate, whatever "UDP scan" the complaint sees', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 60; i++) {
      const port = 1024 + rand(60000);
      const q = dnsQuery(`host${i}.example.com`, i);
      const a = q.slice();
      a[2] = 0x81; a[3] = 0x80; a[7] = 1;
      frames.push({ ts: T + i * 200_000, data: udpFrame({ src: '203.0.113.53', dst: '198.51.100.53', sport: port, dport: 53, payload: q }) });
      frames.push({ ts: T + i * 200_000 + 3000, data: udpFrame({ src: '198.51.100.53', dst: '203.0.113.53', sport: 53, dport: port, payload: a }) });
    }
    const r = await analyze(
      'From: NOC <noc@example.net>\nSubject: UDP port scan from 198.51.100.53\nDate: Tue, 03 Mar 2026 15:10:00 +0100\n\nHello, your host 198.51.100.53 sent UDP packets from port 53 to dozens of high ports on our server 203.0.113.53 around 15:00 CET.\n',
      [save('resolver.pcap', writePcap(frames))],
      ['198.51.100.0/24'],
    );
    expect(r.verdict).toBe('legitimate');
    expect(r.accused).toEqual(['198.51.100.53']);
    expect(r.draft.body).toMatch(/DNS quer/);
    // Times are shown in the complainant's zone too (the Date: header says +0100).
    expect(r.draft.body).toMatch(/2026-03-03 15:00:00 UTC\+01:00/);
  });

  it('an SSH brute force from our host, in a Linux cooked capture, is a compromise', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 40; i++) {
      const p = 40000 + i;
      const t = T + i * 3_000_000;
      const c = { src: '198.51.100.44', dst: '203.0.113.9', sport: p, dport: 22 };
      const s = { src: '203.0.113.9', dst: '198.51.100.44', sport: 22, dport: p };
      frames.push(
        { ts: t, data: tcpFrame({ ...c, flags: 'S' }) }, { ts: t + 1000, data: tcpFrame({ ...s, flags: 'SA' }) },
        { ts: t + 2000, data: tcpFrame({ ...c, flags: 'A' }) }, { ts: t + 3000, data: tcpFrame({ ...s, flags: 'PA', payload: 'SSH-2.0-OpenSSH_8.9\r\n' }) },
        { ts: t + 4000, data: tcpFrame({ ...c, flags: 'PA', payload: 'SSH-2.0-libssh2_1.4.3\r\n' }) },
        { ts: t + 900_000, data: tcpFrame({ ...s, flags: 'FA' }) }, { ts: t + 901_000, data: tcpFrame({ ...c, flags: 'FA' }) },
      );
    }
    const sll = writePcap(frames.map((f) => ({ ...f, data: toSll(f.data) })), { linkType: 113 });
    const r = await analyze(
      'From: abuse@example.org\nSubject: SSH brute force from 198.51.100.44\nDate: Tue, 03 Mar 2026 09:30:00 -0500\n\nOur fail2ban banned 198.51.100.44 after repeated failed ssh logins to 203.0.113.9 at 09:00 EST today.\n',
      [save('cooked.pcap', sll)],
    );
    expect(r.evidence[0].linkTypes).toEqual(['LINUX_SLL']);
    expect(r.verdict).toBe('compromise');
    expect(r.draft.body).toMatch(/SSH/);
  });

  it('finds and reports a clock offset between the complaint and a pcapng capture', async () => {
    const pcap = save('scan.pcap', writePcap(scanFrames()));
    const pcapng = join(dir, 'scan.pcapng');
    execFileSync('editcap', ['-F', 'pcapng', pcap, pcapng]);
    const r = await analyze('Subject: port scan\n\n198.51.100.7 scanned 203.0.113.20 (ports 1-300) on 2026-03-03 at 16:00 UTC.\n', [pcapng]);
    expect(r.evidence[0].format).toBe('pcapng');
    expect(r.verdict).toBe('compromise');
    expect(r.timeOffsetSeconds).toBe(7200);
    expect(r.draft.body).toMatch(/shifted by \+2 h/);
  });

  it('is inconclusive, and asks for what is missing, when the evidence cannot answer', async () => {
    const noEvidence = await analyze('Subject: port scan\n\n198.51.100.7 scanned 203.0.113.20 on 2026-03-03 at 14:00 UTC.\n', []);
    expect(noEvidence.verdict).toBe('inconclusive');
    expect(noEvidence.draft.body).toMatch(/exact times of the activity, with their time zone/);

    const pcap = save('scan2.pcap', writePcap(scanFrames()));
    const otherHost = await analyze('Subject: port scan\n\n198.51.100.99 scanned 203.0.113.20 on 2026-03-03 at 14:00 UTC.\n', [pcap]);
    expect(otherHost.verdict).toBe('inconclusive');
    expect(otherHost.missing.join(' ')).toMatch(/never shows the accused address/);

    const otherDay = await analyze('Subject: port scan\n\n198.51.100.7 scanned 203.0.113.20 on 2026-03-09 at 14:00 UTC.\n', [pcap]);
    expect(otherDay.verdict).toBe('inconclusive');
    expect(otherDay.missing.join(' ')).toMatch(/does not cover the complaint's time window/);
  });
});
