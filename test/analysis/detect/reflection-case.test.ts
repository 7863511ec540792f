import { describe, expect, it } from 'vitest';
import { internalNotes } from '../../../analysis/draft/notes';
import { reflection } from '../../../analysis/detect/reflection';
import { CaseAnalysis } from '../../../analysis/pipeline';
import { weigh } from '../../../analysis/verdict/weigh';
import { minimalComplaint } from '../../helpers/context';
import { evidenceContext, readEvidence } from './evidence';
import { THEM, US, dnsFlood } from './reflection-traffic';

/** The reflection finding in a whole case analysis (the registry runs it), and what the operator's notes make of it. */
describe('reflection-amplification in a case', () => {
  it('the case analysis of a flood forged with the complainant\'s address reports it, with the factor of the bytes written', async () => {
    const { cap, requestBytes, answerBytes } = dnsFlood({ n: 1500, gapUs: 1000, answerSize: 1400, ttls: [54, 117] });
    const a = new CaseAnalysis(minimalComplaint([US], [THEM], { activity: 'flood' }));
    const events = await readEvidence('flood.pcap', cap.pcap());
    for (const e of events) a.sink(e);
    a.addSummary({ file: 'flood.pcap', format: 'pcap', records: events.length } as never, []);
    const r = a.finish();
    const f = r.findings.find((x) => x.id === 'reflection-amplification');
    expect(f?.facts).toMatchObject({ server: US, target: THEM, requestBytes, answerBytes, factor: Math.round((answerBytes / requestBytes) * 100) / 100 });
    expect(f?.evidence.every((e) => e.file === 'flood.pcap')).toBe(true);
    // Our resolver answering their address is not also "our server answering clients": the forged reading wins.
    expect(r.findings.some((x) => x.id === 'server-answering-clients')).toBe(false);
    expect(r.notes.some((n) => n.startsWith('Set aside (server-answering-clients):'))).toBe(true);
    expect(r.verdict).toBe('backscatter');
    expect(r.notes).toContain(`Reflection: close or rate-limit the open DNS on ${US} (port 53); BCP 38 (RFC 2827) for the network that let the forged requests in.`);
  });

  it('weighed alone it says backscatter, and the notes tell the operator to close or rate-limit the resolver, not to turn on SYN cookies', async () => {
    const { cap } = dnsFlood({ n: 1500, gapUs: 1000, answerSize: 1400 });
    const ctx = await evidenceContext('flood.pcap', cap.pcap(), [US], [THEM]);
    const findings = reflection.detect(ctx);
    const v = weigh(findings, { accusedEvents: 3000, pairEvents: 3000, timesCovered: 0, timesTotal: 0 }, true);
    expect(v.verdict).toBe('backscatter');
    const notes = internalNotes(ctx.complaint, v, findings, [US], []);
    expect(notes).toContain(`Reflection: close or rate-limit the open DNS on ${US} (port 53); BCP 38 (RFC 2827) for the network that let the forged requests in.`);
    expect(notes.join('\n')).not.toContain('SYN cookies');
  });
});
