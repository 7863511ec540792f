import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../analysis/limits';
import { bigBase64Mail, escapeMail, manyAttachmentsMail, nestedZipMail, RAW_TERMINAL_CONTROLS, REPORTER_LIST, reporterListMail } from '../helpers/hostile-mail';
import { AFTER_BIG, writeBigMessageMbox, writeSingleLineMbox } from '../helpers/hostile-mbox';
import { describeMeasured, runMeasured, type Measured } from '../helpers/measure-child';
import { corpusDir } from '../helpers/paths';

/**
 * The hostile-input corpus (test/helpers/hostile-mail.ts, hostile-mbox.ts),
 * each case through the real binary in a child process: it must finish
 * within its time and peak-RSS budget, exit as documented, name the part and
 * the limit it hit (analysis/limits.ts, the mbox reader's message bound), and
 * print nothing a terminal would act on. Budgets are for a loaded 2-core
 * machine, several times what was measured unloaded (in each comment); what
 * they catch is an out-of-memory, a hang or quadratic time. The big files
 * live in a temporary folder removed at the end.
 */
const MB = 1024;
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-hostile-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Budget { seconds: number; rssMb: number }

function within(r: Measured, b: Budget): void {
  console.info(`  measured: ${describeMeasured(r)} (budget ${b.seconds} s, ${b.rssMb} MB)`);
  expect(r.status, `exit status (137: killed at the ${b.seconds} s budget)\n${r.stderr.slice(-2000)}`).toBe(0);
  expect(r.seconds).toBeLessThan(b.seconds);
  expect(r.maxRssKb).toBeLessThan(b.rssMb * MB);
  // Whatever the complaint carried, nothing reaches the terminal raw (JSON escapes it; text drops it).
  expect(RAW_TERMINAL_CONTROLS.test(r.stdout), 'raw control or bidi character on stdout').toBe(false);
  expect(RAW_TERMINAL_CONTROLS.test(r.stderr), 'raw control or bidi character on stderr').toBe(false);
}

interface AnalyzeJson { verdict: string; accused: string[]; warnings: string[]; complaint: { subject?: string; reporter: Record<string, string>; attachments: unknown[] }; draft: { subject: string; body: string } }

function analyze(name: string, bytes: Uint8Array, b: Budget): { r: Measured; out: AnalyzeJson } {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const r = runMeasured(['analyze', '--complaint', file, '--json'], b.seconds);
  within(r, b);
  rmSync(file);
  return { r, out: JSON.parse(r.stdout) as AnalyzeJson };
}

interface ImportJson { messages: number; counts: { created: number }; caseIds: number[]; warnings: Array<{ source: string; caseId: number; warnings: string[] }> }

interface EvidenceJson { originalName: string; size: number; sha256: string; excluded: boolean }

/**
 * Import a generated mbox; then the big message must be kept whole (as
 * evidence left out of the runs, of the message's size and SHA-256, no spool
 * left behind), and the message after it stored whole, as a case of its own.
 */
function importMbox(name: string, write: (path: string) => void, b: Budget): ImportJson {
  const file = join(dir, name);
  const data = join(dir, `${name}.data`);
  write(file);
  const message = firstMessage(file);
  const r = runMeasured(['import', file, '--data-dir', data, '--json'], b.seconds);
  rmSync(file);
  within(r, b);
  const out = JSON.parse(r.stdout) as ImportJson;
  expect(out.caseIds).toHaveLength(2);
  const bigCase = runMeasured(['cases', 'show', String(out.caseIds[0]), '--data-dir', data, '--json'], 120);
  expect(bigCase.status, bigCase.stderr).toBe(0);
  const evidence = (JSON.parse(bigCase.stdout) as { evidence: EvidenceJson[] }).evidence;
  expect(evidence.map((e) => ({ ...e }))).toEqual([expect.objectContaining({ originalName: `${name}#1 (whole message).eml`, size: message.size, sha256: message.sha256, excluded: true })]);
  expect(readdirSync(join(data, 'evidence', 'tmp')).filter((n) => n.includes('-intake-'))).toEqual([]);
  const after = runMeasured(['cases', 'show', String(out.caseIds[1]), '--data-dir', data, '--json'], 120);
  expect(after.status, after.stderr).toBe(0);
  expect(after.stdout).toContain(AFTER_BIG.messageId);
  expect(after.stdout).toContain(AFTER_BIG.accused);
  rmSync(data, { recursive: true, force: true });
  return out;
}

/** Size and SHA-256 of the first message of a generated mbox (from after its "From " line to the blank line before the next), streamed. */
function firstMessage(path: string): { size: number; sha256: string } {
  const bytes = readFileSync(path);
  const start = bytes.indexOf(0x0a) + 1;
  const end = bytes.indexOf('\n\nFrom ', start);
  return { size: end + 1 - start, sha256: createHash('sha256').update(bytes.subarray(start, end + 1)).digest('hex') };
}

describe('hostile mail through analyze, each within its budget', () => {
  it('a zip in a zip in a zip: the outer one is read, the next named and never opened (about 3 s, 135 MB)', () => {
    const { out } = analyze('nested.eml', nestedZipMail(3), { seconds: 90, rssMb: 400 });
    expect(out.accused).toEqual(['198.51.100.7']);
    expect(out.warnings).toContain('attachment level-1.zip: level-2.zip is a zip inside a zip: not opened (zip nesting limit 1)');
    expect(out.warnings.join('\n')).not.toContain('level-3.zip');
  });

  it('10,000 attachments: the header facts kept, 100 attachments read, the rest named (about 2.5 s, 150 MB)', () => {
    const bytes = manyAttachmentsMail(10_000);
    const { out } = analyze('many.eml', bytes, { seconds: 120, rssMb: 500 });
    expect(out.complaint.subject).toBe('10000 attachments');
    expect(out.complaint.reporter.address).toBe('reports@example.org');
    expect(out.warnings.some((w) => /^the mail has more MIME parts than the mail parser reads \(1000\): only its first 900 parts \(up to byte offset \d+\) were read$/.test(w)), out.warnings.join('\n')).toBe(true);
    expect(out.warnings).toContain("stopped at attachment log-100.csv: the message's attachment limit (100) is reached");
    expect(out.warnings).toContain('798 attachment(s) not read because the limit on attachments (100 per message) was reached: log-100.csv, log-101.csv, log-102.csv, log-103.csv, log-104.csv and 793 more');
    expect(out.complaint.attachments).toHaveLength(100);
  });

  it('a 50 MB base64 part: 4 MiB of it read for facts, the limit named (about 15 s, 460 MB)', () => {
    const bytes = bigBase64Mail(37.5 * 1024 * 1024);
    expect(bytes.length).toBeGreaterThan(50_000_000);
    const { out } = analyze('big-base64.eml', bytes, { seconds: 300, rssMb: 1200 });
    expect(out.accused).toEqual(['198.51.100.7']);
    expect(out.warnings).toContain(`attachment firewall.log is ${37.5 * 1024 * 1024} bytes: only its first 4194304 were read (stopped at byte offset 4194304): the per-attachment text limit is 4 MiB`);
    expect(out.warnings).toContain('only the first 20000 quoted log lines were read as events (limit 20000 records)');
  });
});

describe('escape-laden Subject and attachment name (OSC, CSI, CR/LF, 8-bit CSI, bidi)', () => {
  const file = join(dir, 'escapes.eml');
  const data = join(dir, 'escapes.data');
  const budget = { seconds: 90, rssMb: 400 };
  // The words survive, on one line; the sequences and marks do not (analysis/util/printable.ts).
  const shown = 'Port scan FAKE: all clear X-Injected: yes gpj.exe';

  it('analyze, as Markdown and as JSON, prints them without one raw control or bidi character (about 4 s, 135 MB)', () => {
    writeFileSync(file, escapeMail());
    const md = runMeasured(['analyze', '--complaint', file], budget.seconds);
    within(md, budget);
    expect(md.stdout).toContain(`Subject: Re: ${shown}`);
    expect(md.stdout).toMatch(/\(reportFAKE: all clear X-Injected: yes gpj\.exe\.log:1\)/);
    expect(md.stdout).not.toMatch(/^X-Injected/m);
    const json = runMeasured(['analyze', '--complaint', file, '--json'], budget.seconds);
    within(json, budget);
    const out = JSON.parse(json.stdout) as AnalyzeJson;
    expect(out.draft.subject).toBe(`Re: ${shown}`);
  });

  it('import, queue and cases list/show print them the same way', () => {
    const imp = runMeasured(['import', file, '--data-dir', data], budget.seconds);
    within(imp, budget);
    // The queue shows the first look's reason, which quotes the complaint; the case list and page show the subject.
    within(runMeasured(['queue', '--data-dir', data], budget.seconds), budget);
    for (const args of [['cases', 'list'], ['cases', 'show', '1']]) {
      const r = runMeasured([...args, '--data-dir', data], budget.seconds);
      within(r, budget);
      expect(r.stdout, args.join(' ')).toContain('FAKE: all clear X-Injected: yes');
    }
  });
});

describe('a reporter address that is a list ("a@x, b@evil")', () => {
  const budget = { seconds: 90, rssMb: 400 };
  const warning = `the reporter's address "${REPORTER_LIST}" is not one mail address: not used`;

  it('in an X-ARF mail: no reporter address, no "evil" organisation, a warning (about 5 s, 130 MB)', () => {
    const { out } = analyze('reporter-list.eml', reporterListMail(), budget);
    expect(out.accused).toEqual(['198.51.100.7']);
    expect(out.complaint.reporter.address).toBeUndefined();
    expect(JSON.stringify(out.complaint.reporter)).not.toContain('evil');
    expect(out.warnings).toContain(warning);
    expect(`${out.draft.subject}\n${out.draft.body}`).not.toContain('evil');
  });

  it('in a pasted plain-text complaint\'s quoted From: line: neither the address nor a greeting "Dear a@x, ..."', () => {
    const text = `Hello,\n\n-----Original Message-----\nFrom: ${REPORTER_LIST}\nSent: Thursday, 1 January 2015 10:00\n\nYour host 198.51.100.7 has been scanning our network.\n`;
    const { out } = analyze('reporter-list.txt', Buffer.from(text), budget);
    expect(out.complaint.reporter).toEqual({});
    expect(out.warnings).toContain(warning);
    expect(out.draft.body).not.toContain('@');
  });

  it('in X-ARF JSON (ReporterOrgEmail and ReporterContactEmail): the name and organisation kept, the address not', () => {
    const doc = JSON.parse(readFileSync(join(corpusDir, 'complaints', 'xarf', 'abusix-xarf__v3_portscan_sample.json'), 'utf8')) as { ReporterInfo: Record<string, string> };
    doc.ReporterInfo.ReporterOrgEmail = REPORTER_LIST;
    doc.ReporterInfo.ReporterContactEmail = REPORTER_LIST;
    const { out } = analyze('reporter-list.json', Buffer.from(JSON.stringify(doc, null, 2)), budget);
    expect(out.complaint.reporter).toEqual({ name: 'Mr. Example', organisation: 'ExampleOrg' });
    expect(out.warnings).toContain(warning);
  });
});

describe('big mboxes through import, each within its budget', () => {
  // analysis/limits.ts message.rawBytes: read, parsed and kept in the rows; the rest streamed to the vault.
  const kept = DEFAULT_LIMITS.message.rawBytes;
  const bytes = 200_000_000;
  // Bounded memory whatever the message's length: 630 MB and 1.4 GB when the reader held 64 MiB and
  // the store hashed, copied and rewrote it; the RSS budget is not scaled for load as time is.
  const rssMb = 500;

  it('a 200 MB single-line message: its first 32 MiB read, the whole kept as evidence, the next message whole (about 5 s, 380 MB)', () => {
    const out = importMbox('single-line.mbox', (p) => writeSingleLineMbox(p, bytes), { seconds: 120, rssMb });
    expect(out.messages).toBe(2);
    expect(out.counts.created).toBe(2);
    const w = out.warnings.find((x) => x.source === 'single-line.mbox#1');
    expect(w?.warnings.join('\n')).toMatch(new RegExp(`^message 1 of .*single-line\\.mbox is larger than ${kept} bytes: its first ${kept} bytes were read, the whole message \\(\\d+ bytes\\) is kept as received`, 'm'));
    expect(out.warnings.find((x) => x.source === 'single-line.mbox#2')).toBeUndefined();
  });

  it('a 200 MB message of ordinary lines: the same bound, the whole kept, the next message whole (about 14 s, 420 MB)', () => {
    const out = importMbox('big-message.mbox', (p) => writeBigMessageMbox(p, bytes), { seconds: 180, rssMb });
    expect(out.messages).toBe(2);
    expect(out.counts.created).toBe(2);
    const w = out.warnings.find((x) => x.source === 'big-message.mbox#1');
    expect(w?.warnings.join('\n')).toMatch(new RegExp(`message 1 of .*big-message\\.mbox is larger than ${kept} bytes: its first ${kept} bytes were read, the whole message \\(\\d+ bytes\\) is kept as received`));
  });
});
