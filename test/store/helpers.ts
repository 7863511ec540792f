import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Complaint } from '../../analysis/complaint/complaint';
import type { AnalysisResult } from '../../analysis/pipeline';
import type { Verdict } from '../../store/types';

export interface FakeComplaint {
  text?: string;
  accused?: string[];
  targets?: string[];
  reporter?: string;
  subject?: string;
  /** ms since epoch */
  dateMs?: number;
  /** complaint times, ms since epoch */
  times?: number[];
}

/** A Complaint as parseComplaint would return it, built directly (tests and the bench). */
export function fakeComplaint(f: FakeComplaint = {}): Complaint {
  const text = f.text ?? `Your host ${f.accused?.[0] ?? '198.51.100.10'} port-scanned us.`;
  return {
    format: 'text',
    subject: f.subject ?? 'Port scan from your network',
    dateMs: f.dateMs,
    reporter: { address: f.reporter ?? 'abuse@example.net', name: 'Example NOC' },
    accused: f.accused ?? ['198.51.100.10'],
    targets: f.targets ?? ['203.0.113.5'],
    ports: { source: [], destination: [22] },
    activity: 'port-scan',
    times: (f.times ?? []).map((ms) => ({ ts: ms * 1000, text: new Date(ms).toISOString(), zone: 'UTC', zoneAssumed: false })),
    zone: 'UTC',
    quotedEvents: [],
    text,
    attachments: [],
    warnings: [],
  };
}

/** An AnalysisResult with the fields the store reads. */
export function fakeResult(c: Complaint, verdict: Verdict = 'backscatter', engineVersion = '0.1.0', evidence: Array<{ file: string; format?: string; firstTs?: number; lastTs?: number }> = []): AnalysisResult {
  const { attachments, quotedEvents, text: _t, ...understood } = c;
  return {
    schemaVersion: 1,
    engineVersion,
    verdict,
    confidence: 0.8,
    accused: c.accused,
    targets: c.targets,
    complaint: { ...understood, quotedLines: quotedEvents.length, attachments: attachments.map((a) => a.filename) },
    findings: [],
    reasons: [`it is ${verdict}`],
    missing: [],
    timeOffsetSeconds: 0,
    coverage: {} as AnalysisResult['coverage'],
    evidence: evidence.map((e) => ({ file: e.file, format: (e.format ?? 'pcap') as never, linkTypes: [], records: 10, skipped: 0, bytes: 100, firstTs: e.firstTs, lastTs: e.lastTs, timeInferred: false })),
    warnings: [],
    draft: { subject: `Re: ${c.subject}`, body: `Dear reporter,\n\nthis was ${verdict}.\n` },
    notes: [],
  };
}

export async function tempDir(prefix = 'ad-store-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
