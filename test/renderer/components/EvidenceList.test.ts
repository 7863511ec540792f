import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import EvidenceList from '../../../renderer/components/EvidenceList.svelte';
import type { EvidenceEntry } from '../../../renderer/lib/case.svelte';
import { casesDir, corpusDir, repoRoot } from '../../helpers/paths';

interface Inspected { format: string; records: number; bytes: number; linkTypes: string[]; firstTs?: string; lastTs?: string; timeInferred: boolean; warnings: string[] }

/**
 * The list entry for a file as evidence:describe reports it: services/inspect-file.ts, as the host
 * calls it, here through `abuse-desk inspect --json` (the renderer's type check does not reach the readers).
 */
async function entry(path: string): Promise<EvidenceEntry> {
  const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'abuse-desk.mjs'), 'inspect', path, '--json'], { encoding: 'utf8' });
  const r = (JSON.parse(out) as { files: Inspected[] }).files[0];
  const name = path.split('/').pop()!;
  return {
    key: name, name, size: r.bytes, ref: { ref: name, name, size: r.bytes }, status: 'ready',
    info: { ref: name, name, format: r.format, size: r.bytes, records: r.records, linkTypes: r.linkTypes, firstTs: r.firstTs, lastTs: r.lastTs, timeInferred: r.timeInferred, warnings: r.warnings },
  };
}

describe('the evidence list before a run', () => {
  it('flags a capture of 0 packets (tcpdump\'s empty pcap), not a real capture', async () => {
    const entries = [await entry(join(corpusDir, 'pcap', 'tcpdump__empty.pcap')), await entry(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap'))];
    render(EvidenceList, { props: { entries, onremove: () => undefined } });
    const rows = screen.getAllByTestId('evidence-row');
    expect(rows[0].textContent).toMatch(/0 packets/);
    expect(rows[0].querySelector('[data-testid="evidence-empty"]')?.textContent).toMatch(/no packets in it: nothing to analyse/);
    expect(rows[1].querySelector('[data-testid="evidence-empty"]')).toBeNull();
  });
});
