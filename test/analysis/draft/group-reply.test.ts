import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import {
  fillGroupTemplate, greeting, groupCaseValues, groupTemplate, GROUP_PLACEHOLDERS, selectionGroup,
} from '../../../analysis/draft/group-reply';
import { fixturesDir } from '../../helpers/paths';

const values = { reporter: { name: 'Alpha NOC' }, accused: '198.51.100.35', quotedLines: [], times: [] };
const body = (v: Parameters<typeof groupTemplate>[0], a: string): string => fillGroupTemplate(groupTemplate(v, a), values).body;

describe('group reply templates', () => {
  it('gives each verdict and report type its own text', () => {
    const texts = [
      body('backscatter', 'port-scan'), body('legitimate', 'port-scan'), body('inconclusive', 'port-scan'), body('inconclusive', 'spam'),
      body('compromise', 'spam'), body('compromise', 'phishing'), body('compromise', 'malware-hosting'), body('compromise', 'port-scan'),
    ];
    expect(new Set(texts).size).toBe(texts.length);
    expect(body('backscatter', 'port-scan')).toMatch(/backscatter/);
    expect(body('legitimate', 'flood')).toMatch(/legitimate/);
    for (const a of ['spam', 'phishing', 'malware-hosting', 'port-scan', 'worm', 'other']) {
      expect(body('compromise', a)).not.toMatch(/backscatter|No action is needed/);
      expect(body('compromise', a)).toMatch(/taking it up with the customer/);
    }
    expect(body('compromise', 'spam')).toMatch(/spam sent from 198\.51\.100\.35/);
    expect(body('compromise', 'phishing')).toMatch(/phishing/);
    expect(body('compromise', 'malware-hosting')).toMatch(/malware hosted on/);
    // A spam report not confirmed by our records says what we did with it, and asks for no packets.
    expect(body('inconclusive', 'spam')).toMatch(/passed your report .* stop the mail/);
    expect(body('inconclusive', 'spam')).not.toMatch(/ports|flow records|Our records confirm/);
  });

  it('answers each report type by what it reports: take down, restrict, forward; only network abuse asks for logs', () => {
    const kinds = ['phishing', 'malware-hosting', 'spam', 'open-service', 'copyright', 'port-scan'];
    const unconfirmed = kinds.map((k) => body('inconclusive', k));
    expect(new Set(unconfirmed).size).toBe(kinds.length);
    for (const t of unconfirmed.slice(0, 5)) expect(t).not.toMatch(/Our records|log lines|flow records|backscatter/);
    expect(body('inconclusive', 'phishing')).toMatch(/a phishing site on 198\.51\.100\.35[\s\S]*take the fraudulent content down/);
    expect(body('inconclusive', 'malware-hosting')).toMatch(/remove the malicious files/);
    expect(body('inconclusive', 'open-service')).toMatch(/an open service on 198\.51\.100\.35[\s\S]*restrict it to the networks that need it/);
    expect(body('inconclusive', 'copyright')).toMatch(/forwarded your notice/);
    expect(body('inconclusive', 'port-scan')).toMatch(/log lines or flow records/);
    // Confirmed by an analysis, each says so in its own words.
    expect(new Set(kinds.map((k) => body('compromise', k))).size).toBe(kinds.length);
    expect(body('compromise', 'open-service')).toMatch(/Our records confirm/);
    // A false positive of a content report does not speak of packets.
    expect(body('backscatter', 'spam')).not.toMatch(/packets|captures/);
    expect(selectionGroup(['inconclusive|198.51.100.35|open-service', 'inconclusive|198.51.100.35|copyright']).message)
      .toMatch(/mixes report types \(1 open service, 1 copyright\)/);
  });

  it('greets by a name, never by an address or a bare domain', () => {
    expect(greeting({ name: 'Alpha NOC', organisation: 'alpha.example' })).toBe('Dear Alpha NOC,');
    expect(greeting({ organisation: 'Example CERT' })).toBe('Dear Example CERT,');
    expect(greeting({ organisation: 'example.com', address: 'abuse@example.com' })).toBe('Hello,');
    expect(greeting({ name: 'abuse@example.com' })).toBe('Hello,');
    expect(greeting(undefined)).toBe('Hello,');
    // An operator's own "Dear {reporter}," falls back too.
    expect(fillGroupTemplate({ subject: 'Re: {subject}', body: 'Dear {reporter},\n\nok' }, { ...values, reporter: { organisation: 'example.com' } }).body).toBe('Hello,\n\nok');
  });

  it('leaves out the lines whose quoted lines or times are missing (and their lead-in), instead of a stand-in', () => {
    const t = { subject: 'Re: {subject}', body: '{greeting}\n\nAt {times}.\n\nYou quoted:\n{quoted_lines}\n\nBye' };
    expect(fillGroupTemplate(t, values).body).toBe('Dear Alpha NOC,\n\nBye');
    const full = fillGroupTemplate(t, { ...values, quotedLines: ['a', 'b'], times: [Date.UTC(2025, 11, 18, 1, 2, 3) * 1000], subject: 'scan' });
    expect(full).toEqual({ subject: 'Re: scan', body: 'Dear Alpha NOC,\n\nAt 2025-12-18 01:02:03 UTC.\n\nYou quoted:\na\nb\n\nBye' });
    // Only the empty line goes when the paragraph says more.
    expect(fillGroupTemplate({ subject: '', body: '{accused} answered:\n{quoted_lines}\nand that is all.' }, values).body).toBe('198.51.100.35 answered:\nand that is all.');
  });

  it('names what differs in a selection that is not one group', () => {
    expect(selectionGroup(['compromise|198.51.100.35|spam', 'compromise|198.51.100.35|spam']).group).toEqual({ verdict: 'compromise', accused: '198.51.100.35', activity: 'spam' });
    expect(selectionGroup(['compromise|198.51.100.35|spam', 'backscatter|198.51.100.35|spam']).message).toMatch(/mixes verdicts \(1 compromise, 1 backscatter\)/);
    expect(selectionGroup(['compromise|198.51.100.35|spam', 'compromise|198.51.100.36|spam']).message).toMatch(/different hosts/);
    expect(selectionGroup(['compromise|198.51.100.35|spam', null]).message).toMatch(/1 of the 2 selected cases have no verdict/);
  });

  it("fills every placeholder from one case's own complaint: its quoted lines, times, reporter and subject", async () => {
    const c = await parseComplaint(readFileSync(join(fixturesDir, 'complaints', 'snort-quoted.eml')), { fileName: 'snort-quoted.eml' });
    expect(c.quotedEvents.length).toBeGreaterThan(0);
    const v = groupCaseValues(c, c.quotedEvents, { primary: null, group: '192.0.2.1' });
    expect(v.accused).toBe(c.accused[0] ?? '192.0.2.1');
    expect(v.quotedLines).toEqual(c.quotedEvents.map((e) => e.raw).filter(Boolean));
    expect(v.times).toHaveLength(c.times.length + c.quotedEvents.length);
    expect(groupCaseValues(c, [], { primary: '198.51.100.9', group: '192.0.2.1' }).accused).toBe('198.51.100.9');
    const t = { subject: 'Re: {subject}', body: GROUP_PLACEHOLDERS.join('\n\n') };
    const filled = fillGroupTemplate(t, v);
    for (const p of GROUP_PLACEHOLDERS) expect(filled.body).not.toContain(p);
    expect(filled.subject).toBe(`Re: ${c.subject}`);
    expect(filled.body).toContain(v.quotedLines[0]);
    expect(filled.body).toContain(v.accused);
  });
});
