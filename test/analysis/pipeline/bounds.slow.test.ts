import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { CaseAnalysis } from '../../../analysis/pipeline';

/** Half a million conversations through the whole pipeline: seconds, so in the slow tier. */
const mail = (date: string, body: string) => `From: noc@example.net\nSubject: port scan from 198.51.100.10\nDate: ${date}\n\n${body}\n`;

describe('bounds reached', () => {
  it('puts a detector bound in the notes, not among the findings or in the reply', async () => {
    const complaint = await parseComplaint(new TextEncoder().encode(mail('Thu, 01 Jan 2026 04:10:25 +0000', 'Port scan from 198.51.100.10 port 80 against 203.0.113.77 on 2026-01-01 02:10 UTC.')));
    const a = new CaseAnalysis(complaint);
    // Our host answers more conversations than the outbound-scan detector classifies (its table holds 500,000).
    const t0 = Date.UTC(2026, 0, 1, 2, 10) * 1000;
    for (let i = 0; i < 520_000; i++) {
      a.sink({ kind: 'packet', ts: t0 + i * 10, src: '198.51.100.10', dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, proto: 6, sport: 80, dport: 1024 + (i % 60000), tcpFlags: 0x12, source: { file: 'f.pcap', offset: i } } as never);
    }
    a.addSummary({ records: 520_000 } as never, []);
    const r = a.finish();
    expect(r.findings.some((f) => f.id === 'outbound-scan-incomplete')).toBe(false);
    expect(r.notes.some((n) => n.startsWith('Bound reached (outbound-scan): No outbound scan among the'))).toBe(true);
    expect(r.draft.body).not.toContain('not classified');
  });
});
