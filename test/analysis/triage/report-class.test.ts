import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { classifyReport, type ReportClass } from '../../../analysis/triage/report-class';
import { firstLook } from '../../../analysis/triage/first-look';
import { corpusDir } from '../../helpers/paths';

const dir = (name: string): string => join(corpusDir, 'complaints', name);

/**
 * What each sample reports, from reading it (not from the classifier):
 * - abusehub: "[Shadowserver Botnet Drone] Incident Report": an infected host, network abuse.
 * - blocklistde: service "regbot", a bot that "registered automatically on a honeypot Wiki/Forum": network abuse.
 * - cleanmx 1 and 3: X-ARF Report-Type "harvesting", SMTP on port 25 to unknown users: spam.
 *   cleanmx 2 and 4: "viruses sites (1 so far) within your network": malware hosting.
 * - copyrightcompliance: "Notice of Unauthorized Use of Starz ... Property": copyright.
 * - cyscon: "Malicious content (CYSC.MALWARE.URL.GEN) hosted on": malware hosting.
 * - feedback-loop, spamexperts: ARF feedback reports (Feedback-Type: abuse): spam.
 * - google: Safe Browsing notices, list 0 (compromised, serving malware) 3 URLs and list 1 (phishing) 2: malware hosting.
 * - ip-echelon: "Notice of Claimed Infringement" for Paramount: copyright.
 * - netcraft 1 and 2: a site "compromised, such that visiting the site may result in malicious software being
 *   downloaded" (Report-Type malware-attack): malware hosting. 3, 4, 6, 8, 9: Report-Type phishing, "We have
 *   discovered a phishing attack" (3 and 4 keep a "malware attack" subject; the report says phishing).
 * - projecthoneypot: harvesting, comment spamming and email spamming IPs: spam.
 * - shadowserver: sinkhole_http_drone (infected hosts calling a sinkhole): network abuse; every scan_* and
 *   dns_openresolver report lists hosts Shadowserver found answering: open service.
 * - webiron: "Client software detected as known botware", wp-login.php posts: network abuse.
 */
function expectedAbuseio(name: string): ReportClass {
  const family = name.split('__')[0];
  switch (family) {
    case 'abusehub': case 'blocklistde': case 'webiron': return 'network-abuse';
    case 'cleanmx': return /Example_[13]\./.test(name) ? 'spam' : 'malware-hosting';
    case 'copyrightcompliance': case 'ip-echelon': return 'copyright';
    case 'cyscon': case 'google': return 'malware-hosting';
    case 'feedback-loop': case 'spamexperts': case 'projecthoneypot': return 'spam';
    case 'netcraft': return /Example_[12]\./.test(name) ? 'malware-hosting' : 'phishing';
    case 'shadowserver': return /sinkhole_http_drone/.test(name) ? 'network-abuse' : 'open-service';
    default: throw new Error(`no expectation written for ${name}`);
  }
}

/** The Shadowserver CSVs as themselves: the same reports as the mails' zips. */
const expectedCsv = (name: string): ReportClass => (/sinkhole_http_drone/.test(name) ? 'network-abuse' : 'open-service');

/** X-ARF samples by their type: open services, phishing and spam by type; bots, floods, scans, logins, compromised servers, C2 reputation are network abuse. */
function expectedXarf(name: string): ReportClass {
  if (/openservice|open-service/.test(name)) return 'open-service';
  if (/phishing/.test(name)) return 'phishing';
  if (/spam/.test(name)) return 'spam';
  return 'network-abuse';
}

async function classifyDir(name: string): Promise<Array<{ file: string; cls: ReportClass; detail: string | null }>> {
  const out = [];
  for (const file of readdirSync(dir(name)).sort()) {
    const c = await parseComplaint(new Uint8Array(readFileSync(join(dir(name), file))), { fileName: file });
    const r = classifyReport(c);
    out.push({ file, cls: r.reportClass, detail: r.detail });
  }
  return out;
}

function tally(rows: Array<{ cls: ReportClass }>): Record<string, number> {
  const n: Record<string, number> = {};
  for (const r of rows) n[r.cls] = (n[r.cls] ?? 0) + 1;
  return n;
}

describe('report classes on the real corpus', () => {
  // 81 mails: 41 spam, 17 open service, 8 malware hosting, 8 network abuse, 5 phishing, 2 copyright.
  it('files each of the 81 AbuseIO mails by what it reports (41 spam, 17 open service, 8 malware hosting, 8 network abuse, 5 phishing, 2 copyright)', async () => {
    const rows = await classifyDir('abuseio');
    expect(rows).toHaveLength(81);
    expect(rows.map((r) => [r.file, r.cls])).toEqual(rows.map((r) => [r.file, expectedAbuseio(r.file)]));
    expect(tally(rows)).toEqual({ spam: 41, 'open-service': 17, 'malware-hosting': 8, 'network-abuse': 8, phishing: 5, copyright: 2 });
    // Each says what was reported: the phishing URL, the open service.
    const by = (f: string) => rows.find((r) => r.file === f)!;
    expect(by('netcraft__Netcraft_Example_8.eml').detail).toBe('http://www.johndoe.tld/modules/3xt/492fa6b3ede550428e9760cdefb33582/');
    expect(by('shadowserver__2015-01-01-dns_openresolver-sample-asn.csv.zip.eml').detail).toBe('open DNS resolver');
    expect(by('shadowserver__2015-01-01-scan_ntp-sample-asn.csv.zip.eml').detail).toBe('NTP (monlist)');
    expect(by('google__Safe_Browsing_Report_1.eml').detail).toBe('3 URLs serving malware, 2 phishing URLs');
  });

  it('files the 18 Shadowserver CSVs (17 open service, 1 network abuse) and the 26 X-ARF samples by their type (20 network abuse, 3 spam, 2 open service, 1 phishing)', async () => {
    const csv = await classifyDir('shadowserver-csv');
    expect(csv).toHaveLength(18);
    expect(csv.map((r) => [r.file, r.cls])).toEqual(csv.map((r) => [r.file, expectedCsv(r.file)]));
    const xarf = await classifyDir('xarf');
    expect(xarf.map((r) => [r.file, r.cls])).toEqual(xarf.map((r) => [r.file, expectedXarf(r.file)]));
    expect(tally(xarf)).toEqual({ 'network-abuse': 20, spam: 3, 'open-service': 2, phishing: 1 });
    expect(xarf.find((r) => r.file === 'xarf-spec__v4_vulnerability-open-service.json')?.detail).toBe('RDP');
  });

  it('tells the first look which kind it is: a non-network report carries a note that its leaning speaks for network abuse only', async () => {
    const phish = await parseComplaint(new Uint8Array(readFileSync(join(dir('abuseio'), 'netcraft__Netcraft_Example_6.eml'))));
    const fl = firstLook(phish);
    expect(fl.report.reportClass).toBe('phishing');
    expect(fl.notes[0]).toMatch(/^A phishing report \(the report's type is “phishing”\)/);
    const scan = await parseComplaint(new Uint8Array(readFileSync(join(dir('xarf'), 'xarf-spec__v4_connection-port-scan.json'))));
    const fl2 = firstLook(scan);
    expect(fl2.report.reportClass).toBe('network-abuse');
    expect(fl2.notes.some((n) => /speaks for network abuse only/.test(n))).toBe(false);
  });

  it('decides by the report before the words: a structured type beats the subject, an ARF report beats words in the quoted spam', () => {
    const base = { text: '', activity: 'other' as const, format: 'xarf-yaml' };
    expect(classifyReport({ ...base, subject: 'malware attack at http://x.example/', reportFields: { 'Report-Type': 'phishing' } }).reportClass).toBe('phishing');
    expect(classifyReport({ ...base, format: 'arf', activity: 'spam', text: 'copyright infringement notice DMCA', reportFields: { 'Feedback-Type': 'abuse' } }).reportClass).toBe('spam');
    expect(classifyReport({ ...base, reportFields: { 'Feedback-Type': 'fraud' } }).reportClass).toBe('phishing');
    // A port scan *by* our host is network abuse; Shadowserver's own scan of our host is an open service.
    expect(classifyReport({ ...base, reportFields: { type: 'vulnerability_scan', category: 'connection' } }).reportClass).toBe('network-abuse');
    expect(classifyReport({ ...base, reportFields: { report: '2024-05-01-scan_ssdp-asn.csv' } }).reportClass).toBe('open-service');
    expect(classifyReport({ ...base, subject: 'hello', text: 'Something odd from 198.51.100.44.' }))
      .toMatchObject({ reportClass: 'network-abuse', basis: 'no other report type is named' });
  });
});
