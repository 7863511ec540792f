import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { caseTemplateKey, fillCaseTemplate } from '../../../analysis/draft/case-template';
import { defaultTemplate } from '../../../analysis/draft/template-keys';
import type { AnalysisResult } from '../../../analysis/pipeline';
import { casesDir, fixturesDir } from '../../helpers/paths';

const seed = join(casesDir, 'seed001-synflood-backscatter');
const result = JSON.parse(readFileSync(join(fixturesDir, 'results', 'seed001-synflood-backscatter.json'), 'utf8')) as AnalysisResult;

async function seedComplaint() {
  return parseComplaint(readFileSync(join(seed, 'complaint.txt')), { fileName: 'complaint.txt' });
}

describe('a stored template filled for one analysed case', () => {
  it('files the seed001 case under network abuse · backscatter, and a phishing report under phishing', async () => {
    const c = await seedComplaint();
    expect(caseTemplateKey({ complaint: c, analysis: result })).toEqual({ reportClass: 'network-abuse', verdict: 'backscatter' });
    expect(caseTemplateKey({ complaint: c, verdict: 'inconclusive' })).toEqual({ reportClass: 'network-abuse', verdict: 'inconclusive' });
    const phish = await parseComplaint(new TextEncoder().encode('Subject: Phishing site at http://198.51.100.7/login\n\nA phishing page imitating our bank is hosted on 198.51.100.7.\n'), { fileName: 'p.eml' });
    expect(caseTemplateKey({ complaint: phish, verdict: 'inconclusive' })).toEqual({ reportClass: 'phishing', verdict: 'inconclusive' });
  });

  it('fills the case\'s findings, the records that prove them, its number, customer and signature', async () => {
    const c = await seedComplaint();
    const { subject, body } = fillCaseTemplate(defaultTemplate({ reportClass: 'network-abuse', verdict: 'backscatter' }), {
      complaint: c, quoted: c.quotedEvents, analysis: result, caseId: 7, customer: 'Example Hosting Ltd', signature: 'Jo Operator\nExample ISP abuse team',
    });
    expect(subject).toBe('Re: portscan from 198.51.100.80');
    expect(body).toMatch(/^Hello,\n\nthank you for your report about a port scan from 198\.51\.100\.80\.\n\nYou reported it at 2025-12-18 00:40:00 UTC\./);
    // The decisive findings, strongest first, as the analysis summarised them.
    const decisive = result.findings.filter((f) => f.leaning === 'backscatter').sort((a, b) => b.strength - a.strength);
    expect(body).toContain(`What our records show:\n${decisive.map((f) => `- ${f.summary}`).join('\n')}`);
    expect(body).toContain('Kind regards,\nJo Operator\nExample ISP abuse team');
    // The appendix quotes real packets of the capture, by file and packet number.
    const appendix = body.slice(body.indexOf('Evidence (appendix):'));
    const rows = appendix.split('\n').filter((l) => /^ {2}\d{4}-.* UTC \| /.test(l));
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThanOrEqual(14);
    for (const r of rows) expect(r).toMatch(/www-border\.pcap packet \d+$/);
    const cited = decisive.flatMap((f) => f.evidence).map((e) => `${e.file} packet ${e.packet}`);
    for (const r of rows) expect(cited).toContain(r.slice(r.lastIndexOf('|') + 2));
    expect(appendix).toMatch(/Our records cover 2025-12-18 00:40:00(\.\d+)? UTC to 2025-12-18 00:41:02/);
    expect(body).not.toMatch(/[{}]/);
  });

  it('uses an operator\'s own text, masks third parties as the built-in draft does, and drops what is unknown', async () => {
    const c = await seedComplaint();
    const template = { subject: 'Re: {subject} (our case {case})', body: 'Hello {reporter},\n\nOur customer {customer} was told.\n\n{findings}\n\nSeen also from 203.0.113.9 and 192.0.2.200.\n\n{signature}' };
    const masked = fillCaseTemplate(template, { complaint: c, quoted: [], analysis: result, caseId: 3 });
    expect(masked.subject).toBe('Re: portscan from 198.51.100.80 (our case 3)');
    expect(masked.body).not.toMatch(/Our customer/);
    expect(masked.body).toContain('Seen also from 203.0.x.x and 192.0.2.200.');
    expect(masked.body.endsWith('\n\nAbuse desk')).toBe(true);
    const open = fillCaseTemplate(template, { complaint: c, quoted: [], analysis: result, caseId: 3, mask: false });
    expect(open.body).toContain('203.0.113.9');
  });

  it('before any analysis, speaks of no findings or records', async () => {
    const c = await seedComplaint();
    const { body } = fillCaseTemplate(defaultTemplate({ reportClass: 'network-abuse', verdict: 'inconclusive' }), { complaint: c, quoted: [], verdict: 'inconclusive' });
    expect(body).not.toMatch(/What our records show|Evidence \(appendix\)/);
    expect(body).toMatch(/log lines or flow records/);
  });
});
