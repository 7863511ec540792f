/**
 * Reply templates through the channels, against a real store: listed with
 * their built-in text, saved (an unknown placeholder refused, naming it),
 * previewed against a stored case, reset; and a saved template is what the
 * drafts say: the draft of a case the app analyses (its number, our
 * customer, the signature), a re-analysis, and the group reply.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import { replyMail } from '../../analysis/draft/reply-mail';
import type { AnalysisResult } from '../../analysis/pipeline';
import type { EventMessage, JobResult } from '../../electron/common/events';
import { CaseRecorder, StoreHost } from '../../host/case-service';
import type { EngineHost } from '../../host/engine-host';
import { createHandlers, dispatch } from '../../host/handlers';
import { SettingsStore } from '../../host/settings-store';
import { TemplateService } from '../../host/template-service';
import { CustomerFile } from '../../services/customers/customer-file';
import { CaseStore } from '../../store/case-store';
import { synfloodCase, tempDir } from '../electron/helpers';
import { casesDir } from '../helpers/paths';

const fixture = (name: string) => JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/results', `${name}.json`), 'utf8')) as AnalysisResult;
const COMPLAINT = readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8');
const LEGIT = readFileSync(join(casesDir, 'seed001-nat-legit', 'complaint.txt'), 'utf8');
const SIGNATURE = 'Jo Operator\nExample ISP abuse team';
const backscatter = { reportClass: 'network-abuse', verdict: 'backscatter' } as const;

function fakeEngine(): EngineHost {
  return {
    parseComplaint: (job: { complaintText: string; complaintName?: string; ourNets: string[] }) =>
      parseComplaint(new TextEncoder().encode(job.complaintText), { fileName: job.complaintName, ourNets: job.ourNets }),
    startAnalysis: () => ({ jobId: 'j-internal' }),
    cancel: () => false,
    engineVersion: async () => '0.1.0',
  } as unknown as EngineHost;
}

describe('reply templates behind the channels', () => {
  const tmp = tempDir('ad-templates-');
  const dataDir = join(tmp.dir, 'data');
  const forwarded: EventMessage[] = [];
  let stores: StoreHost;
  let recorder: CaseRecorder;
  let templates: TemplateService;
  let call: (channel: string, req: unknown) => Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }>; // eslint-disable-line @typescript-eslint/no-explicit-any

  async function finishJob(jobId: string, complaintText: string, result: AnalysisResult): Promise<JobResult> {
    recorder.remember(jobId, { complaintText, evidence: [], ourNets: ['198.51.100.0/24'], startedAt: Date.now() - 5 });
    const before = forwarded.length;
    recorder.emit({ event: 'onResult', args: [{ jobId, result }] });
    for (let i = 0; i < 500 && forwarded.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    return forwarded.at(-1)!.args[0] as JobResult;
  }

  beforeAll(async () => {
    stores = new StoreHost(dataDir, (dir) => CaseStore.open(dir, { operator: 'alice' }));
    await stores.ready;
    const customers = new CustomerFile(dataDir);
    await customers.import('prefix,customer\n198.51.100.0/24,Example Hosting Ltd\n198.51.100.80/32,Web Shop GmbH\n', 'customers.csv');
    templates = new TemplateService({ store: () => stores.get(), signature: () => SIGNATURE, customers });
    recorder = new CaseRecorder(stores, (m) => forwarded.push(m));
    recorder.templates = templates;
    const engine = fakeEngine();
    recorder.attach(engine);
    const handlers = createHandlers({
      engine, settings: new SettingsStore(dataDir), info: { host: 'browser', appVersion: '1', nativeDialogs: false },
      resolveEvidence: async (ref) => ({ path: ref, name: ref }),
      cases: { stores, recorder, exportTarget: async () => null, backupDir: async () => join(tmp.dir, 'b') },
      customers, templates,
    });
    call = (channel, req) => dispatch(handlers, channel, req) as never;
  });

  afterAll(async () => {
    await stores.close();
    tmp.remove();
  });

  it('lists every class and verdict with its built-in text and the placeholders', async () => {
    const r = await call('templates:list', {});
    expect(r.ok).toBe(true);
    expect(r.value.templates).toHaveLength(24);
    const first = r.value.templates[0];
    expect(first).toMatchObject({ ...backscatter, label: 'Network abuse · backscatter', custom: false, version: 0, updatedBy: null });
    expect(first.body).toBe(first.builtIn.body);
    expect(r.value.placeholders.map((p: { name: string }) => p.name)).toContain('customer');
  });

  it('refuses a template naming a placeholder that does not exist, saving nothing', async () => {
    const r = await call('templates:set', { ...backscatter, subject: 'Re: {subject}', body: 'Dear {custmer},\n\n{evidnce}' });
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'bad_request' });
    expect(r.error!.message).toMatch(/^templates:set: body: unknown placeholders \{custmer\}, \{evidnce\} \(known: /);
    expect((await call('templates:get', backscatter)).value).toMatchObject({ custom: false, version: 0 });
  });

  it('drafts a case analysed in the app from the saved template, with its number, our customer and the signature', async () => {
    const body = 'Dear {reporter},\n\nour customer {customer} runs {accused} (case {case}).\n\n{findings}\n\nKind regards,\n{signature}\n';
    const saved = await call('templates:set', { ...backscatter, subject: 'Re: {subject} [{case}]', body, expectedVersion: 0 });
    expect(saved.value).toMatchObject({ custom: true, version: 1, updatedBy: 'alice', body });
    const stale = await call('templates:set', { ...backscatter, subject: 's', body: 'b', expectedVersion: 0 });
    expect(stale.error).toMatchObject({ code: 'conflict' });

    const r = await finishJob('job-1', COMPLAINT, fixture('seed001-synflood-backscatter'));
    const id = r.saved!.caseId;
    expect(r.result.draft.subject).toBe(`Re: portscan from 198.51.100.80 [${id}]`);
    expect(r.result.draft.body).toMatch(new RegExp(`^Hello,\\n\\nour customer Web Shop GmbH runs 198\\.51\\.100\\.80 \\(case ${id}\\)\\.\\n\\n- Everything 198\\.51\\.100\\.80 sent`));
    expect(r.result.draft.body.endsWith(`Kind regards,\n${SIGNATURE}`)).toBe(true);
    const d = (await call('cases:get', { id })).value;
    expect(d.drafts.at(-1)).toMatchObject({ subject: r.result.draft.subject, body: r.result.draft.body, origin: 'generated' });
    expect(d.runs.at(-1).result.draft).toEqual(r.result.draft);
    // As a mail, the letter is signed once.
    const mail = replyMail({ subject: r.result.draft.subject, body: r.result.draft.body, signature: SIGNATURE, caseId: id });
    expect(mail.text.split('Jo Operator')).toHaveLength(2);
  });

  it('keeps the built-in draft for a class and verdict with no saved template', async () => {
    const legit = fixture('seed001-nat-legit');
    const r = await finishJob('job-2', LEGIT, legit);
    expect(r.result.verdict).toBe('legitimate');
    expect(r.result.draft).toEqual(legit.draft);
  });

  it('previews the editor\'s text against a stored case, and names the template the case itself uses', async () => {
    const id = (await call('cases:list', { verdict: ['backscatter'] })).value.items[0].id;
    const p = await call('templates:preview', { reportClass: 'network-abuse', verdict: 'compromise', subject: 'Re: {subject}', body: '{greeting}\n\n{report}; {times}.\n\nCustomer: {customer}\n\n{evidence}\n\n{signature}', caseId: id });
    expect(p.ok).toBe(true);
    expect(p.value).toMatchObject({ caseId: id, customer: 'Web Shop GmbH', caseKey: backscatter, subject: 'Re: portscan from 198.51.100.80' });
    expect(p.value.body).toMatch(/^Hello,\n\na port scan from 198\.51\.100\.80; 2025-12-18 00:40:00 UTC\.\n\nCustomer: Web Shop GmbH\n\nThe records \(time in UTC/);
    expect(p.value.body).toMatch(/www-border\.pcap packet \d+\n/);
    expect((await call('templates:preview', { ...backscatter, subject: 's', body: 'b', caseId: 999 })).error).toMatchObject({ code: 'not_found' });
    expect((await call('templates:preview', { ...backscatter, subject: '{nope}', body: 'b', caseId: id })).error!.message).toMatch(/subject: unknown placeholder \{nope\}/);
  });

  it('re-analyses into the saved template, and resets to the built-in text', async () => {
    const id = (await call('cases:list', { verdict: ['backscatter'] })).value.items[0].id;
    await call('templates:set', { ...backscatter, subject: 'Re: {subject}', body: 'Second text for case {case}.\n\n{signature}', expectedVersion: 1 });
    const store = await stores.get();
    const { draft } = await store.reanalyze(id, templates.reanalyzeFn(id, async () => fixture('seed001-synflood-backscatter')));
    expect(draft?.body).toBe(`Second text for case ${id}.\n\n${SIGNATURE}`);
    const reset = await call('templates:reset', { ...backscatter, expectedVersion: 2 });
    expect(reset.value).toMatchObject({ custom: false, version: 3 });
    expect(reset.value.body).toBe(reset.value.builtIn.body);
    const again = await store.reanalyze(id, templates.reanalyzeFn(id, async () => fixture('seed001-synflood-backscatter')));
    expect(again.draft?.body).toBe(fixture('seed001-synflood-backscatter').draft.body);
  });

  it('fills the group reply with each case\'s number, our customer and the signature', async () => {
    const other = await finishJob('job-3', COMPLAINT.replace(/^Subject: .*/m, 'Subject: another scan report').replace('Our IDS', 'Their IDS'), fixture('seed001-synflood-backscatter'));
    const store = await stores.get();
    const group = await store.groupOf(other.saved!.caseId);
    expect(group?.caseIds.length).toBeGreaterThanOrEqual(2);
    const r = await call('queue:groupDraft', { caseIds: group!.caseIds, subject: 'Re: {subject}', body: 'Case {case}: {customer} uses {accused}.\n\n{signature}' });
    expect(r.ok).toBe(true);
    for (const d of r.value) expect(d.body).toBe(`Case ${d.caseId}: Web Shop GmbH uses 198.51.100.80.\n\n${SIGNATURE}`);
  });
});
