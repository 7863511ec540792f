import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import type { Complaint } from '../../../analysis/complaint/complaint';
import { reportLetter } from '../../../analysis/draft/report-letter';
import { verdictParagraphs } from '../../../analysis/draft/report-templates';
import { classifyReport } from '../../../analysis/triage/report-class';
import type { ReportClass } from '../../../analysis/case-vocabulary';
import { analyzeFiles } from '../../../services/analyze-files';
import { corpusDir, filesIn } from '../../helpers/paths';

/**
 * The single-case draft follows the report's type as the group reply does: a
 * spam, phishing, malware, open-service or copyright report is answered with
 * the report type's paragraphs (report-templates.ts), and never asked for
 * packet headers, TCP flags or a pcap; network abuse keeps the network letter.
 * On the AbuseIO corpus mails, analysed as the app does with no evidence.
 */
const mails = filesIn(join(corpusDir, 'complaints', 'abuseio'), /\.eml$/);
const NETWORK_ASKS = /pcap|TCP flags|packet headers/i;

interface Case { name: string; complaint: Complaint; reportClass: ReportClass; verdict: string; accused: string[]; body: string }
const cases: Case[] = [];

beforeAll(async () => {
  for (const path of mails) {
    const raw = new Uint8Array(readFileSync(path));
    const complaint = await parseComplaint(raw, { fileName: basename(path) });
    const r = await analyzeFiles({ complaint: raw, complaintName: basename(path), evidence: [], ourNets: [] });
    cases.push({ name: basename(path), complaint, reportClass: classifyReport(complaint).reportClass, verdict: r.verdict, accused: r.accused, body: r.draft.body });
  }
}, 120_000);

describe('the single-case draft by report type (AbuseIO corpus)', () => {
  it('finds the corpus, with every report type in it', () => {
    expect(mails.length, `no .eml under ${corpusDir}/complaints/abuseio`).toBeGreaterThan(50);
    const classes = new Set(cases.map((c) => c.reportClass));
    for (const k of ['network-abuse', 'spam', 'phishing', 'malware-hosting', 'open-service', 'copyright']) expect(classes, k).toContain(k);
  });

  it('a report of content or a service is answered by its type, without asking for pcaps or TCP flags', () => {
    const content = cases.filter((c) => c.reportClass !== 'network-abuse');
    expect(content.length).toBeGreaterThan(20);
    for (const c of content) {
      expect(c.body, c.name).not.toMatch(NETWORK_ASKS);
      const who = c.accused.length > 1 ? c.accused.slice(0, -1).join(', ') + ' and ' + c.accused.at(-1) : c.accused[0] ?? 'the reported address';
      const [first] = verdictParagraphs(c.verdict as never, c.reportClass);
      expect(c.body, c.name).toContain(first.replaceAll('{accused}', who));
    }
  });

  it('network abuse keeps the network letter, which asks an inconclusive reporter for their records', () => {
    const network = cases.filter((c) => c.reportClass === 'network-abuse' && c.verdict === 'inconclusive');
    expect(network.length).toBeGreaterThan(0);
    for (const c of network) {
      expect(c.body, c.name).toMatch(NETWORK_ASKS);
      expect(reportLetter(c.complaint, 'inconclusive', c.accused), c.name).toBeNull();
    }
  });

  it('the letter names the report type in its first sentence', () => {
    const spam = cases.find((c) => c.reportClass === 'spam')!;
    expect(spam.body).toMatch(new RegExp(`Thank you for your report about spam sent from ${spam.accused[0].replaceAll('.', '\\.')}`));
    const phishing = cases.find((c) => c.reportClass === 'phishing')!;
    expect(phishing.body).toMatch(/Thank you for your report about a phishing site on /);
  });

  it('a confirmed report says what our records confirm, in its type\'s words', () => {
    const spam = cases.find((c) => c.reportClass === 'spam')!;
    const letter = reportLetter(spam.complaint, 'compromise', ['192.0.2.7'])!;
    expect(letter.paragraphs[0]).toBe(verdictParagraphs('compromise', 'spam')[0].replaceAll('{accused}', '192.0.2.7'));
    expect(letter.paragraphs.join(' ')).not.toContain('{accused}');
  });
});
