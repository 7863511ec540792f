import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { analyzeFiles } from '../../../services/analyze-files';
import { casesDir } from '../../helpers/paths';
import { evidenceRows, expectRowsQuotePackets, pcapFacts, type PacketFacts } from '../../helpers/reply-evidence';
import { asCetEml, CET_MINUTES } from './cet-mail';
import { expectCaseFacts } from './case-facts';

/**
 * The published example cases, re-shaped the way the unpublished ones are:
 * the capture as pcapng, as argus `ra` text, and the complaint as an .eml
 * from a complainant in Central European Time (a Date: header at +0100 and
 * every time in the body rewritten in CET). In every shape the verdict must
 * hold and the reply must quote the evidence: each record it cites is the
 * packet or line it names, at its time in UTC (and in CET for the mail), and
 * the counts and ports it states are those of the capture.
 */
interface Expected { verdict: string; accused: string; complaint: string; evidence: string[] }

// The cases sit beside the checkout (../shared, as in CI): without them this file has nothing to test.
const cases = existsSync(casesDir) ? readdirSync(casesDir).filter((d) => existsSync(join(casesDir, d, 'expected.json'))) : [];
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
  const text = execFileSync('ra', ['-n', '-r', archive], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  const out = join(dir, `${name}.ra.txt`);
  writeFileSync(out, text);
  return out;
}

describe('example cases in other shapes', () => {
  it('finds the example cases', () => {
    expect(cases.length, `no cases in ${casesDir}`).toBeGreaterThan(0);
  });

  for (const name of cases) {
    const caseDir = join(casesDir, name);
    const exp = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as Expected;
    const complaint = readFileSync(join(caseDir, exp.complaint));
    const evidence = exp.evidence.map((e) => join(caseDir, e));
    const packets = new Map<string, PacketFacts[]>();
    beforeAll(() => {
      for (const e of evidence) packets.set(basename(e), pcapFacts(readFileSync(e)));
    });

    it(`${name}: evidence as pcapng: the same packets quoted by number, the same facts`, async () => {
      const r = await analyzeFiles({ complaint, complaintName: exp.complaint, evidence: evidence.map(toPcapng), ourNets: [] });
      expect(r.verdict).toBe(exp.verdict);
      expect(r.accused).toContain(exp.accused);
      for (const e of evidence) {
        expectRowsQuotePackets(r.draft.body, `${name}-${basename(e)}.pcapng`, packets.get(basename(e))!);
      }
      expectCaseFacts(r, exp, [...packets.values()].flat());
    });

    it(`${name}: evidence as argus ra text: each quoted line is the flow it names`, async () => {
      const ra = evidence.map(toArgusText);
      const r = await analyzeFiles({ complaint, complaintName: exp.complaint, evidence: ra, ourNets: [] });
      expect(r.verdict).toBe(exp.verdict);
      expect(r.accused).toContain(exp.accused);
      const rows = evidenceRows(r.draft.body);
      expect(rows.length, r.draft.body).toBeGreaterThan(0);
      for (const row of rows) {
        const path = ra.find((p) => basename(p) === row.file);
        expect(path, `the reply cites ${row.file}, which was not given`).toBeDefined();
        const line = readFileSync(path!, 'utf8').split('\n')[row.line! - 1];
        // A flow record, or a one-datagram UDP flow shown as the datagram; third parties masked to their /16.
        const m = /^(?:flow \w+ )?([\d.x]+):(\d+) > ([\d.x]+):(\d+) /.exec(row.record);
        expect(m, row.record).not.toBeNull();
        // ra -n writes "addr.port"; the row's endpoints are the line's.
        for (const [addr, port] of [[m![1], m![2]], [m![3], m![4]]]) {
          const re = `\\s${addr.replace(/\./g, '\\.').replace('x\\.x', '\\d+\\.\\d+')}\\.${port}\\s`;
          expect(line, `${row.file} line ${row.line}`).toMatch(new RegExp(re));
        }
        // ra prints the start time of day; the row gives it in UTC.
        expect(line.trimStart().startsWith(row.utc.slice(11, 19)), `${row.file} line ${row.line}: ${line} vs ${row.utc}`).toBe(true);
      }
    });

    it(`${name}: complaint as an .eml in CET, our network given: times in UTC and in UTC+01:00`, async () => {
      const first = Math.min(...[...packets.values()].flat().map((p) => p.ts));
      const mail = asCetEml(complaint.toString('utf8'), first);
      expect(new TextDecoder().decode(mail), 'no time left in UTC').not.toMatch(/\bUTC\b/);
      const r = await analyzeFiles({ complaint: mail, complaintName: 'complaint.eml', evidence, ourNets: ['198.51.100.0/24'] });
      expect(r.complaint.format).toBe('eml');
      expect(r.complaint.zone).toBe('UTC+01:00');
      expect(r.verdict).toBe(exp.verdict);
      expect(r.accused).toContain(exp.accused);
      expect(r.timeOffsetSeconds, 'CET times with a +0100 Date: are the same instants, not a clock offset').toBe(0);
      // Every time the complainant wrote in CET is the instant the pasted UTC text names.
      const plain = await parseComplaint(complaint, { fileName: exp.complaint, ourNets: [], nowMs: first / 1000 });
      expect(r.complaint.times.map((t) => t.ts)).toEqual(plain.times.map((t) => t.ts));
      for (const e of evidence) expectRowsQuotePackets(r.draft.body, basename(e), packets.get(basename(e))!, CET_MINUTES);
      expectCaseFacts(r, exp, [...packets.values()].flat());
    });
  }
});
