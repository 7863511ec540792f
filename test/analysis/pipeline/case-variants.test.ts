import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../cli/commands/analyze';
import { casesDir } from '../../helpers/paths';

/**
 * The published example cases, re-shaped the way the unpublished ones are:
 * the capture as pcapng, as argus `ra` text, and the complaint as an .eml
 * in another zone. The verdict and the phrases must survive every shape.
 */
interface Expected { verdict: string; accused: string; must_mention: string[][]; complaint: string; evidence: string[] }

const cases = existsSync(casesDir)
  ? readdirSync(casesDir).filter((d) => existsSync(join(casesDir, d, 'expected.json')))
  : [];
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-variants-'));

function toPcapng(pcap: string): string {
  const out = join(dir, `${pcap.split('/').slice(-2).join('-')}.pcapng`);
  execFileSync('editcap', ['-F', 'pcapng', pcap, out]);
  return out;
}

function toArgusText(pcap: string): string {
  const name = pcap.split('/').slice(-2).join('-');
  const archive = join(dir, `${name}.argus`);
  execFileSync('argus', ['-r', pcap, '-w', archive]);
  const text = execFileSync('ra', ['-n', '-r', archive], { encoding: 'utf8' });
  const out = join(dir, `${name}.ra.txt`);
  writeFileSync(out, text);
  return out;
}

/** The pasted complaint as a mail from a complainant in Central European Time. */
function asEml(text: string): Uint8Array {
  const subject = /^Subject: (.*)$/m.exec(text)?.[1] ?? 'abuse report';
  const body = text.replace(/^Subject: .*\n/m, '');
  return new TextEncoder().encode(
    `From: IDS Admin <ids@complainant.example>\r\nTo: abuse@our-isp.example\r\nSubject: ${subject}\r\nMessage-ID: <x1@complainant.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.replace(/\n/g, '\r\n')}`,
  );
}

function check(exp: Expected, r: Awaited<ReturnType<typeof analyzeFiles>>): void {
  expect(r.verdict).toBe(exp.verdict);
  expect(r.accused).toContain(exp.accused);
  const body = r.draft.body.toLowerCase();
  for (const group of exp.must_mention) expect(group.some((w) => body.includes(w.toLowerCase())), `draft lacks one of ${group.join(' | ')}`).toBe(true);
}

describe.skipIf(cases.length === 0)('example cases in other shapes', () => {
  for (const name of cases) {
    const caseDir = join(casesDir, name);
    const exp = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as Expected;
    const complaint = readFileSync(join(caseDir, exp.complaint));
    const evidence = exp.evidence.map((e) => join(caseDir, e));

    it(`${name}: evidence as pcapng`, async () => {
      check(exp, await analyzeFiles({ complaint, complaintName: exp.complaint, evidence: evidence.map(toPcapng), ourNets: [] }));
    });

    it(`${name}: evidence as argus ra text`, async () => {
      check(exp, await analyzeFiles({ complaint, complaintName: exp.complaint, evidence: evidence.map(toArgusText), ourNets: [] }));
    });

    it(`${name}: complaint as an .eml, our network given`, async () => {
      const r = await analyzeFiles({ complaint: asEml(complaint.toString('utf8')), complaintName: 'complaint.eml', evidence, ourNets: ['198.51.100.0/24'] });
      expect(r.complaint.format).not.toBe('text');
      check(exp, r);
    });
  }
});
