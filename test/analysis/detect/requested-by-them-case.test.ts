import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../services/analyze-files';
import { fixturesDir } from '../../helpers/paths';
import { Capture } from '../../helpers/reply-evidence';
import { T0, THEM, US, activeFtp, identCallbacks, unasked } from './requested-traffic';

/** Whole cases through the CLI's analysis: complaint and evidence files in, verdict and reply out. */
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-requested-'));
let saved = 0;
function save(data: Uint8Array): string {
  const p = join(dir, `e${++saved}.pcap`);
  writeFileSync(p, data);
  return p;
}

const mail = (subject: string, body: string, date: string) => `From: NOC <noc@example.net>\nSubject: ${subject}\nDate: ${date}\n\n${body}\n`;

function analyze(complaint: string, evidence: string[]) {
  return analyzeFiles({ complaint: new TextEncoder().encode(complaint), complaintName: 'complaint.eml', evidence, ourNets: ['198.51.100.0/24'] });
}

describe('answer-to-their-request in a case', () => {
  it('"your host X:20 connected to our host Y" with the real active-FTP capture: legitimate, and the reply quotes their PORT command', async () => {
    const r = await analyze(mail('Unauthorized connections from 198.51.100.10',
      `Our IDS saw your host ${US}:20 connect to our host ${THEM} on 2026-11-30 at 15:11 UTC, five times to different high ports. Please stop it.`,
      'Mon, 30 Nov 2026 15:40:00 +0000'), [join(fixturesDir, 'pcap', 'requested-ftp-active.pcap')]);
    expect(r.verdict).toBe('legitimate');
    const f = r.findings.find((x) => x.id === 'answer-to-their-request');
    expect(f?.facts).toMatchObject({ kind: 'ftp-active-data', host: US, peer: THEM, count: 5, unmatched: 0 });
    // tshark reads the first command of the capture as "PORT 203,0,113,5,140,17" (see requested-by-them.test.ts).
    const letter = r.draft.body.split('\nEvidence (appendix)\n')[0];
    expect(letter).toContain('"PORT 203,0,113,5,140,17"');
    expect(r.draft.body).toContain('"EPRT |1|203.0.113.5|34865|"');
    expect(r.notes.join('\n')).not.toMatch(/Set aside \(outbound/);
  });

  it('ICMP time exceeded / port unreachable from our router after their real traceroute: legitimate, not backscatter of forged packets', async () => {
    const r = await analyze(mail('ICMP from 198.51.100.10', `Your host ${US} sent ICMP packets to our host ${THEM} on 2026-11-30 at 15:11 UTC.`, 'Mon, 30 Nov 2026 15:40:00 +0000'),
      [join(fixturesDir, 'pcap', 'requested-traceroute.pcap')]);
    // icmp-backscatter reads these errors as answers to packets forged with their address; their probes say otherwise.
    expect(r.notes.find((n) => n.startsWith('Set aside (icmp-backscatter):'))).toContain('every message it counts answers a request of theirs');
    expect(r.verdict).toBe('legitimate');
    expect(r.findings.find((x) => x.id === 'answer-to-their-request')?.facts).toMatchObject({ kind: 'traceroute-replies', peer: THEM, unmatched: 0 });
    const letter = r.draft.body.split('\nEvidence (appendix)\n')[0];
    expect(letter).toContain('each answering a traceroute probe');
    expect(letter).not.toMatch(/forged/);
  });

  it('twenty empty active-mode listings: the scan detector sees a connect scan of one host, set aside because every connection was asked for', async () => {
    const cap = activeFtp(new Capture(), 20);
    const r = await analyze(mail('Port scan from 198.51.100.10', `${US} scanned ${THEM} on 2025-12-18 02:00 UTC: 20 ports in 10 seconds.`, 'Thu, 18 Dec 2025 03:20:00 +0100'), [save(cap.pcap())]);
    expect(r.findings.some((x) => x.detector === 'outbound-scan')).toBe(false);
    expect(r.notes.find((n) => n.startsWith('Set aside (outbound-port-scan):'))).toContain('every connection it counts answers a request of theirs');
    expect(r.verdict).toBe('legitimate');
    expect(r.draft.body).toContain('"PORT 203,0,113,5,117,48"');
  });

  it('an IRC server asking the identd of 30 clients that connected, refused: the port-113 sweep is set aside, the reply says ident', async () => {
    const clients = Array.from({ length: 30 }, (_, i) => `203.0.113.${10 + i}`);
    const cap = identCallbacks(new Capture(), [...clients, THEM]);
    const r = await analyze(mail('Scan of port 113', `Your host ${US} connected to port 113 of ${THEM} on 2025-12-18 02:00 UTC.`, 'Thu, 18 Dec 2025 03:20:00 +0100'), [save(cap.pcap())]);
    expect(r.notes.find((n) => n.startsWith('Set aside (outbound-sweep):'))).toBeDefined();
    expect(r.verdict).toBe('legitimate');
    expect(r.findings.find((x) => x.id === 'answer-to-their-request')?.facts).toMatchObject({ kind: 'ident-callback', peer: THEM, count: 1 });
    expect(r.draft.body).toContain('ident lookups (RFC 1413)');
  });

  it('the same sweep of port 113 with no connection from them first: no answer finding, the scan stands', async () => {
    const clients = Array.from({ length: 30 }, (_, i) => `203.0.113.${10 + i}`);
    const cap = unasked(new Capture(), [...clients, THEM], 113, { start: T0 });
    const r = await analyze(mail('Scan of port 113', `Your host ${US} connected to port 113 of ${THEM} on 2025-12-18 02:00 UTC.`, 'Thu, 18 Dec 2025 03:20:00 +0100'), [save(cap.pcap())]);
    expect(r.findings.some((x) => x.id === 'answer-to-their-request')).toBe(false);
    expect(r.findings.find((x) => x.id === 'outbound-sweep')?.facts?.ports).toEqual(['tcp/113']);
    expect(r.verdict).toBe('compromise');
  });
});
