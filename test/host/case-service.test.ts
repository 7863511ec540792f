/**
 * The case channels: their schemas reject bad arguments, the handlers work
 * against a real store in a temp folder (shared by Electron main and serve),
 * store failures come back with the store's codes, and the recorder saves
 * every analysis as a case (the same complaint twice: one case).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import type { AnalysisResult } from '../../analysis/pipeline';
import { parseRequest, type ChannelName } from '../../electron/common/contract';
import type { EngineHost } from '../../host/engine-host';
import type { EventMessage, JobResult } from '../../electron/common/events';
import { CaseRecorder, StoreHost } from '../../host/case-service';
import { createHandlers, dispatch, type HandlerDeps } from '../../host/handlers';
import { SettingsStore } from '../../host/settings-store';
import { CaseStore } from '../../store/case-store';
import { StoreError } from '../../store/errors';
import { synfloodCase, tempDir } from '../electron/helpers';

const fixture = (name: string) => JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/results', `${name}.json`), 'utf8')) as AnalysisResult;
const COMPLAINT = readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8');
const PCAP = join(synfloodCase, 'www-border.pcap');

describe('case channel schemas', () => {
  it.each<[ChannelName, unknown]>([
    ['cases:get', { id: 0 }],
    ['cases:get', { id: -3 }],
    ['cases:get', { id: 1.5 }],
    ['cases:get', { id: '1' }],
    ['cases:get', { id: 1, extra: true }],
    ['cases:get', {}],
    ['cases:list', { status: ['open'] }],
    ['cases:list', { status: 'new' }],
    ['cases:list', { verdict: ['guilty'] }],
    ['cases:list', { accused: 'example.com' }],
    ['cases:list', { accused: '198.51.100.0/33' }],
    ['cases:list', { reporterDomain: 'evil domain' }],
    ['cases:list', { from: 'yesterday' }],
    ['cases:list', { limit: 100_000 }],
    ['cases:list', { offset: -1 }],
    ['cases:search', {}],
    ['cases:search', { query: '   ' }],
    ['cases:search', { query: 'x'.repeat(501) }],
    ['cases:setStatus', { id: 1, status: 'open' }],
    ['cases:setStatus', { id: 1 }],
    ['cases:tag', { id: 1, add: ['bad\ntag'] }],
    ['cases:tag', { id: 1, add: ['x'.repeat(65)] }],
    ['cases:tag', { id: 1, add: 'single' }],
    ['cases:addNote', { id: 1, body: '' }],
    ['cases:addNote', { id: 1, body: '  \n ' }],
    ['cases:saveDraft', { id: 1, subject: 'x' }],
    ['cases:saveDraft', { id: 1, subject: 'x'.repeat(999), body: '' }],
    ['cases:markSent', { id: 1 }],
    ['cases:markSent', { id: 1, draftId: 0 }],
    ['cases:hostHistory', { address: 'localhost' }],
    ['cases:hostHistory', {}],
    ['cases:import', { ref: '' }],
    ['cases:import', { ref: '/tmp/a\0b' }],
    ['cases:export', { id: null }],
    ['store:backup', { to: '/tmp' }],
    ['store:info', { x: 1 }],
  ])('%s rejects %j', (channel, req) => {
    const r = parseRequest(channel, req);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bad_request');
  });

  it('accepts well-formed requests, normalising what it may', () => {
    expect(parseRequest('cases:list', { status: ['new', 'replied'], verdict: ['compromise'], from: '2025-12-01', to: 1765000000000, accused: '198.51.100.0/24', reporterDomain: 'Example.NET', tag: 'worm', limit: 50, offset: 0 }))
      .toMatchObject({ ok: true, value: { reporterDomain: 'example.net' } });
    expect(parseRequest('cases:search', { query: ' syn flood ' })).toMatchObject({ ok: true, value: { query: 'syn flood' } });
    expect(parseRequest('cases:tag', { id: 3, add: [' worm '], remove: ['old'] })).toMatchObject({ ok: true, value: { add: ['worm'] } });
    expect(parseRequest('cases:hostHistory', { address: '2001:db8::1' }).ok).toBe(true);
    expect(parseRequest('cases:markSent', { id: 1, draftId: 2 }).ok).toBe(true);
    expect(parseRequest('store:info', undefined).ok).toBe(true);
  });
});

/** An engine host stand-in: parses complaints in-process, never analyses. */
function fakeEngine(): EngineHost {
  return {
    parseComplaint: (job: { complaintText: string; complaintName?: string; ourNets: string[] }) =>
      parseComplaint(new TextEncoder().encode(job.complaintText), { fileName: job.complaintName, ourNets: job.ourNets }),
    startAnalysis: () => ({ jobId: 'j-internal' }),
    cancel: () => false,
    engineVersion: async () => '0.1.0',
  } as unknown as EngineHost;
}

describe('case handlers against a real store', () => {
  const tmp = tempDir('ad-cases-');
  const dataDir = join(tmp.dir, 'data');
  const forwarded: EventMessage[] = [];
  let stores: StoreHost;
  let recorder: CaseRecorder;
  let call: (channel: string, req: unknown) => Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let caseId = 0;

  /** What main does when the engine reports a result for a job started through analysis:start. */
  async function finishJob(jobId: string, complaintText: string, result: AnalysisResult, evidence = [{ path: PCAP, name: 'www-border.pcap' }]): Promise<JobResult> {
    recorder.remember(jobId, { complaintText, evidence, ourNets: ['198.51.100.0/24'], startedAt: Date.now() - 5 });
    const before = forwarded.length;
    recorder.emit({ event: 'onResult', args: [{ jobId, result }] });
    for (let i = 0; i < 500 && forwarded.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    const msg = forwarded.at(-1)!;
    expect(msg.event).toBe('onResult');
    return msg.args[0] as JobResult;
  }

  beforeAll(async () => {
    stores = new StoreHost(dataDir, (dir) => CaseStore.open(dir));
    recorder = new CaseRecorder(stores, (m) => forwarded.push(m));
    const engine = fakeEngine();
    recorder.attach(engine);
    const deps: HandlerDeps = {
      engine,
      settings: new SettingsStore(dataDir),
      info: { host: 'browser', appVersion: '1', nativeDialogs: false },
      resolveEvidence: async (ref) => ({ path: ref, name: ref.split('/').pop()! }),
      cases: {
        stores,
        recorder,
        exportTarget: async (name) => ({ path: join(tmp.dir, name), download: '/api/download/x' }),
        backupDir: async () => join(tmp.dir, 'backup-1'),
      },
    };
    const handlers = createHandlers(deps);
    call = (channel, req) => dispatch(handlers, channel, req) as never;
  });

  afterAll(async () => {
    await stores.close();
    tmp.remove();
  });

  it('saves a finished analysis as a case and passes the result on with its id', async () => {
    const r = await finishJob('job-1', COMPLAINT, fixture('seed001-synflood-backscatter'));
    expect(r.saveError).toBeUndefined();
    expect(r.saved).toMatchObject({ existed: false });
    caseId = r.saved!.caseId;
    expect(r.result.verdict).toBe('backscatter');
  });

  it('lists, searches and opens it', async () => {
    const list = await call('cases:list', {});
    expect(list.ok).toBe(true);
    expect(list.value.items.map((c: { id: number }) => c.id)).toEqual([caseId]);
    expect((await call('cases:list', { status: ['closed'] })).value.items).toEqual([]);
    expect((await call('cases:list', { verdict: ['backscatter'], accused: '198.51.100.0/24' })).value.items).toHaveLength(1);
    const hits = await call('cases:search', { query: 'SYN' });
    expect(hits.value.items[0]).toMatchObject({ id: caseId });
    expect(hits.value.items[0].snippet).toContain('«');
    const d = await call('cases:get', { id: caseId });
    expect(d.value).toMatchObject({ id: caseId, status: 'analysed', verdict: 'backscatter' });
    expect(d.value.complaintRaw).toBe(COMPLAINT);
    expect(d.value.evidence).toHaveLength(1);
    expect(d.value.runs).toHaveLength(1);
    expect(d.value.drafts).toHaveLength(1);
  });

  it('changes status, tags, notes and drafts, each on the timeline', async () => {
    const s = await call('cases:setStatus', { id: caseId, status: 'replied' });
    expect(s.value.status).toBe('replied');
    const t = await call('cases:tag', { id: caseId, add: ['syn-flood', 'customer-web'] });
    expect(t.value.tags).toEqual(['customer-web', 'syn-flood']);
    expect((await call('cases:tag', { id: caseId, remove: ['customer-web'] })).value.tags).toEqual(['syn-flood']);
    const n = await call('cases:addNote', { id: caseId, body: 'called the customer' });
    expect(n.value.notes.map((x: { body: string }) => x.body)).toEqual(['called the customer']);
    const v = await call('cases:saveDraft', { id: caseId, subject: 'Re: scan', body: 'edited reply' });
    expect(v.value).toMatchObject({ version: 2, origin: 'edited', sentAt: null });
    const sent = await call('cases:markSent', { id: caseId, draftId: v.value.id });
    expect(sent.value.sentAt).toEqual(expect.any(Number));
    const d = await call('cases:get', { id: caseId });
    expect(d.value.audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['status_changed', 'tag_added', 'tag_removed', 'note_added', 'draft_saved', 'draft_sent']));
    expect((await call('cases:list', { tag: 'syn-flood' })).value.items).toHaveLength(1);
  });

  it('saves the same complaint submitted again for a replied case as a new case linked to it, leaving the replied one as it was', async () => {
    const again = await finishJob('job-2', `${COMPLAINT}\n`, fixture('seed001-synflood-backscatter'));
    expect(again.saved).toMatchObject({ existed: false, repeatOf: caseId });
    expect(again.saved!.caseId).not.toBe(caseId);
    expect((await call('cases:list', {})).value.items).toHaveLength(2);
    const replied = (await call('cases:get', { id: caseId })).value;
    expect(replied).toMatchObject({ status: 'replied', runs: [expect.anything()], repeatedBy: [again.saved!.caseId] });
    expect((await call('cases:get', { id: again.saved!.caseId })).value).toMatchObject({ repeatOf: caseId, status: 'analysed' });
  });

  it('finds related cases and the host history', async () => {
    const other = await finishJob('job-3', COMPLAINT.replace(/^Subject: .*/m, 'Subject: another scan report').replace('Our IDS', 'Their IDS'), fixture('seed001-synflood-backscatter'), []);
    expect(other.saved?.existed).toBe(false);
    const related = await call('cases:related', { id: caseId });
    expect(related.value.map((r: { case: { id: number } }) => r.case.id)).toContain(other.saved!.caseId);
    expect(related.value[0].reasons).toContain('same-accused');
    const host = await call('cases:hostHistory', { address: '198.51.100.80' });
    expect(host.value.cases).toHaveLength(3);
    expect(host.value.byVerdict.backscatter).toBe(3);
  });

  it('verifies custody and says MISMATCH when a vault file changed', async () => {
    const ok = await call('cases:verifyEvidence', { id: caseId });
    expect(ok.value.evidence[0].custody).toBe('verified');
    const vaultFile = join(dataDir, 'evidence', ok.value.evidence[0].sha256.slice(0, 2), ok.value.evidence[0].sha256.slice(2));
    const original = readFileSync(vaultFile);
    const tampered = Buffer.from(original);
    tampered[100] ^= 0xff;
    writeFileSync(vaultFile, tampered);
    try {
      const bad = await call('cases:verifyEvidence', { id: caseId });
      expect(bad.value.evidence[0].custody).toBe('mismatch');
      expect(bad.value.custodyProblem).toBe(true);
      const re = await call('cases:reanalyze', { id: caseId });
      expect(re).toMatchObject({ ok: false, error: { code: 'custody_mismatch' } });
      expect(re.error!.message).toMatch(/CHAIN OF CUSTODY/);
      const exp = await call('cases:export', { id: caseId });
      expect(exp.ok).toBe(false);
    } finally {
      writeFileSync(vaultFile, original);
    }
  });

  it('exports, imports (the same complaint: nothing new) and backs up', async () => {
    const exp = await call('cases:export', { id: caseId });
    expect(exp.value).toMatchObject({ saved: true, download: '/api/download/x', name: `case-${caseId}.abuse-case.tar` });
    const imp = await call('cases:import', { ref: join(tmp.dir, `case-${caseId}.abuse-case.tar`) });
    expect(imp.value).toEqual({ caseId, existed: true });
    const b = await call('store:backup', {});
    expect(b.value.evidenceFiles).toBeGreaterThan(0);
    expect(b.value.databasePath).toBe(join(tmp.dir, 'backup-1', 'cases.sqlite'));
    expect((await call('store:info', {})).value).toEqual({ available: true, dataDir });
  });

  it('answers not_found for unknown ids and drafts of another case', async () => {
    expect(await call('cases:get', { id: 99_999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('cases:setStatus', { id: 99_999, status: 'closed' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const other = (await call('cases:list', {})).value.items.find((c: { id: number }) => c.id !== caseId);
    const draftOfOther = (await call('cases:get', { id: other.id })).value.drafts[0].id;
    expect(await call('cases:markSent', { id: caseId, draftId: draftOfOther })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('store failures', () => {
  it('a read-only store answers read_only, and the analysis still reaches the window with saveError', async () => {
    const tmp = tempDir('ad-cases-ro-');
    try {
      const writable = await CaseStore.open(tmp.dir);
      await writable.close();
      const stores = new StoreHost(tmp.dir, (dir) => CaseStore.open(dir, { readOnly: true }));
      const forwarded: EventMessage[] = [];
      const recorder = new CaseRecorder(stores, (m) => forwarded.push(m));
      const engine = fakeEngine();
      recorder.attach(engine);
      const handlers = createHandlers({
        engine, settings: new SettingsStore(tmp.dir), info: { host: 'browser', appVersion: '1', nativeDialogs: false },
        resolveEvidence: async (ref) => ({ path: ref, name: 'x' }),
        cases: { stores, recorder, exportTarget: async () => null, backupDir: async () => join(tmp.dir, 'b') },
      });
      expect(await dispatch(handlers, 'cases:list', {})).toMatchObject({ ok: true });
      expect(await dispatch(handlers, 'store:info', {})).toMatchObject({ ok: true, value: { available: true, error: { code: 'read_only' } } });
      recorder.remember('j', { complaintText: COMPLAINT, evidence: [], ourNets: [], startedAt: Date.now() });
      recorder.emit({ event: 'onResult', args: [{ jobId: 'j', result: fixture('seed001-synflood-backscatter') }] });
      for (let i = 0; i < 300 && !forwarded.length; i++) await new Promise((r) => setTimeout(r, 10));
      const r = forwarded[0].args[0] as JobResult;
      expect(r.result.verdict).toBe('backscatter');
      expect(r.saved).toBeUndefined();
      expect(r.saveError?.code).toBe('read_only');
      await stores.close();
    } finally {
      tmp.remove();
    }
  });

  it('a store that cannot open says why on every case channel; analyses go on unsaved', async () => {
    const stores = new StoreHost('/nonexistent', async () => { throw new StoreError('corrupt', 'The case database in /x is damaged.'); });
    const handlers = createHandlers({
      engine: fakeEngine(), settings: new SettingsStore(tempDir('ad-cases-c-').dir), info: { host: 'browser', appVersion: '1', nativeDialogs: false },
      resolveEvidence: async (ref) => ({ path: ref, name: 'x' }),
      cases: { stores, recorder: new CaseRecorder(stores, () => undefined), exportTarget: async () => null, backupDir: async () => '/x' },
    });
    expect(await dispatch(handlers, 'cases:get', { id: 1 })).toMatchObject({ ok: false, error: { code: 'corrupt' } });
    expect(await dispatch(handlers, 'store:info', {})).toMatchObject({ ok: true, value: { available: false, error: { code: 'corrupt' } } });
  });

  it('maps every StoreError code to a contract code', async () => {
    const { toResultError } = await import('../../electron/common/result');
    expect(toResultError(new StoreError('disk_full', 'full'))).toEqual({ code: 'disk_full', message: 'full' });
    expect(toResultError(new StoreError('invalid', 'bad'))).toEqual({ code: 'bad_request', message: 'bad' });
    expect(toResultError(new StoreError('io', 'x')).code).toBe('io_error');
    expect(toResultError(new StoreError('custody_mismatch', 'x')).code).toBe('custody_mismatch');
  });
});

describe('serve wiring', () => {
  it('opens the store in --data-dir and answers the case channels over HTTP; downloads need the token', async () => {
    const { startServer } = await import('../../host/serve/server');
    const { nodeEngineSpawner } = await import('../../electron/engine/spawn-node');
    const tmp = tempDir('ad-cases-serve-');
    const server = await startServer({ dataDir: join(tmp.dir, 'data'), rendererDir: join(tmp.dir, 'none'), spawnEngine: nodeEngineSpawner() });
    try {
      const post = async (channel: string, body: unknown) => (await fetch(`${server.url}api/${channel}`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-abuse-desk-token': server.token }, body: JSON.stringify(body),
      })).json() as Promise<{ ok: boolean; value?: any; error?: { code: string } }>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(await post('store:info', {})).toEqual({ ok: true, value: { available: true, dataDir: join(tmp.dir, 'data') } });
      expect(await post('cases:list', {})).toMatchObject({ ok: true, value: { items: [], hasMore: false } });
      expect(await post('cases:list', { status: ['bogus'] })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(await post('cases:export', { id: 42 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect((await fetch(`${server.url}api/download/0123`, { headers: { 'x-abuse-desk-token': server.token } })).status).toBe(404);
      expect((await fetch(`${server.url}api/download/0123`)).status).toBe(403);
    } finally {
      await server.close();
      tmp.remove();
    }
  });
});
