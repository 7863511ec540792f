import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../analysis/detect/detector';
import { runDetectors } from '../../../analysis/detect/registry';
import { internalNotes } from '../../../analysis/draft/notes';
import { weigh } from '../../../analysis/verdict/weigh';
import { minimalComplaint } from '../../helpers/context';
import { corpusContext } from '../detect/corpus';

const covered = { accusedEvents: 100, pairEvents: 50, timesCovered: 1, timesTotal: 1 };

async function caseNotes(rel: string, accused: string[], targets: string[], warnings: string[] = []) {
  const ctx = await corpusContext(rel, accused, targets);
  const findings = runDetectors(ctx);
  return internalNotes(ctx.complaint, weigh(findings, covered, true), findings, accused, warnings);
}

describe('the operator\'s notes', () => {
  it('seed003 (a worm on our host): isolate it, ask the customer, keep the evidence', async () => {
    const notes = await caseNotes('cases/seed003-udp770-compromise/lan-span.pcap', ['198.51.100.90'], []);
    expect(notes[0]).toBe('Isolate 198.51.100.90 (null-route or move to a quarantine VLAN) and open a ticket with the customer.');
    expect(notes).toContain('Keep the evidence files: the customer may dispute the disconnection.');
  });

  it('seed001 (backscatter of a SYN flood): no action on the host, SYN cookies on the flooded service', async () => {
    const notes = await caseNotes('cases/seed001-synflood-backscatter/www-border.pcap', ['198.51.100.80'], ['192.0.2.66'], ['w'.repeat(3)]);
    expect(notes[0]).toBe('No action on 198.51.100.80. Consider SYN cookies / rate limits on the flooded service and note the flood in the NOC log.');
    expect(notes.at(-1)).toBe('Warning: www');
  });

  it('inconclusive says why and what to ask for; conflicting evidence, MACs, sensor replays, attachments and at most 10 warnings are noted', () => {
    const f = (o: Partial<Finding>): Finding => ({ id: 'x', detector: 'd', leaning: 'context', strength: 0, summary: 's', evidence: [], ...o });
    const v = weigh([], covered, false);
    const c = minimalComplaint(['198.51.100.7'], [], { attachments: [{ filename: 'a.csv', contentType: 'text/csv', content: new Uint8Array(1) }] as never });
    const notes = internalNotes(c, { ...v, conflicting: true }, [
      f({ facts: { macs: ['00:11:22:33:44:55'] } }), f({ detector: 'ids-replay', summary: 'scanlogd would have fired at 7 ports' }),
    ], [], Array.from({ length: 12 }, (_, i) => `w${i}`));
    expect(notes[0]).toBe('Inconclusive because: no captures or logs from our side were attached.');
    expect(notes).toContain('Evidence points both ways: review the findings by hand before sending.');
    expect(notes).toContain('Trace MAC address(es) 00:11:22:33:44:55 in the switch tables.');
    expect(notes).toContain('Sensor replay (not in the reply): scanlogd would have fired at 7 ports');
    expect(notes).toContain('1 attachment(s) in the complaint were analysed as evidence.');
    expect(notes.filter((n) => n.startsWith('Warning: '))).toHaveLength(10);
  });
});
