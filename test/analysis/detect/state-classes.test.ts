import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { STATE_CLASSES } from '../../../analysis/detect/state-classes';
import { CaseAnalysis } from '../../../analysis/pipeline';
import { encodeState, StateCodecError } from '../../../analysis/util/state-codec';
import { loadEvents } from '../../helpers/load-events';
import { casesDir } from '../../helpers/paths';

const ourNets = ['198.51.100.0/24'];

/** One example case read into a fresh analysis (every detector's accumulator fed), with its complaint for a second one. */
async function analysed(name: string, evidence: string) {
  const complaint = await parseComplaint(new Uint8Array(readFileSync(join(casesDir, name, 'complaint.txt'))), { fileName: 'complaint.txt', ourNets });
  const a = new CaseAnalysis(complaint, { ourNets });
  for (const e of await loadEvents(join(casesDir, name, evidence))) a.sink(e);
  return { a, fresh: () => new CaseAnalysis(complaint, { ourNets }) };
}

describe('the classes a case\'s streaming state may hold', () => {
  it.each([
    ['seed001-synflood-backscatter', 'www-border.pcap'],
    ['seed003-udp770-compromise', 'lan-span.pcap'],
  ])('%s: the state encodes with the table, crosses a structured clone and revives into the same findings', async (name, evidence) => {
    const { a, fresh } = await analysed(name, evidence);
    const state = structuredClone(a.encodeState());
    const b = fresh();
    b.mergeEncoded(state, true);
    const one = a.finish();
    const two = b.finish();
    expect(two.findings).toEqual(one.findings);
    expect(two.verdict).toBe(one.verdict);
  });

  it('a table missing one class refuses to encode, naming the failure, rather than losing state', async () => {
    const { a } = await analysed('seed003-udp770-compromise', 'lan-span.pcap');
    const missing = new Map(STATE_CLASSES);
    missing.delete('HandshakeTable');
    const state = (a as unknown as { detectorRun: unknown }).detectorRun;
    expect(() => encodeState(state, missing)).toThrow(StateCodecError);
    expect(() => encodeState(state, STATE_CLASSES)).not.toThrow();
  });

  it('holds each class once, under one key', () => {
    expect(new Set(STATE_CLASSES.values()).size).toBe(STATE_CLASSES.size);
    expect(STATE_CLASSES.has('Tally')).toBe(false);
    expect(STATE_CLASSES.has('BruteForceTally') && STATE_CLASSES.has('CraftedTally')).toBe(true);
  });
});
