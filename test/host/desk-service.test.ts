/**
 * The desk channels on two apps (Alice's and Bob's, each its own data
 * folder and settings) sharing one case store: opening a case claims it,
 * the other app's queue row shows who holds it until when, a colleague's
 * claim is refused with their name unless taken over, the idle time comes
 * from the desk settings, and the operator name set there is the one the
 * store is opened under (a change applies at the next start).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import { CaseRecorder, StoreHost } from '../../host/case-service';
import { DeskSettingsStore, osOperator } from '../../host/desk-settings-store';
import type { EngineHost } from '../../host/engine-host';
import { createHandlers, dispatch } from '../../host/handlers';
import { SettingsStore } from '../../host/settings-store';
import { CaseStore } from '../../store/case-store';
import { tempDir } from '../electron/helpers';

const COMPLAINT = join(import.meta.dirname, '../../../shared/corpus/complaints/abuseio/blocklistde__Blocklistde_Example_1.eml');
type Reply = { ok: boolean; value?: any; error?: { code: string; message: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('desk channels: claims between two apps on one store', () => {
  const tmp = tempDir('ad-desk-');
  const shared = join(tmp.dir, 'shared');
  const hosts: StoreHost[] = [];
  let caseId = 0;

  /** One app: its own data folder and desk settings, the store opened under the settings' operator. */
  function appFor(name: string, operator: string): (channel: string, req: unknown) => Promise<Reply> {
    const dataDir = join(tmp.dir, name);
    new DeskSettingsStore(dataDir).set({ operator });
    const stores = new StoreHost(dataDir, (dir) => CaseStore.open(shared, { operator: new DeskSettingsStore(dir).operator() }));
    hosts.push(stores);
    const handlers = createHandlers({
      engine: { engineVersion: async () => '0.1.0' } as unknown as EngineHost,
      settings: new SettingsStore(dataDir),
      info: { host: 'browser', appVersion: '1', nativeDialogs: false },
      resolveEvidence: async (ref) => ({ path: ref, name: 'x' }),
      cases: { stores, recorder: new CaseRecorder(stores, () => undefined), exportTarget: async () => null, backupDir: async () => join(dataDir, 'b') },
    });
    return (channel, req) => dispatch(handlers, channel, req) as Promise<Reply>;
  }

  let alice: ReturnType<typeof appFor>;
  let bob: ReturnType<typeof appFor>;
  beforeAll(async () => {
    alice = appFor('alice', 'alice');
    bob = appFor('bob', 'bob');
    const raw = new Uint8Array(await readFile(COMPLAINT));
    const store = await hosts[0].get();
    caseId = (await store.createOrFindCase({ complaintRaw: raw, complaintName: 'report.eml', complaint: await parseComplaint(raw, { fileName: 'report.eml' }) })).case.id;
  });
  afterAll(async () => {
    for (const h of hosts) await h.close();
    tmp.remove();
  });

  it("claims the case for the opener; the colleague's queue row and case show who until when", async () => {
    const before = Date.now();
    const claimed = await alice('claims:claim', { id: caseId });
    expect(claimed).toMatchObject({ ok: true, value: { caseId, operator: 'alice' } });
    expect(claimed.value.expiresAt - claimed.value.lastSeenAt).toBe(15 * 60_000);
    expect(claimed.value.claimedAt).toBeGreaterThanOrEqual(before);
    const page = await bob('queue:list', {});
    const row = page.value.items.find((i: { id: number }) => i.id === caseId);
    expect(row.claim).toEqual(claimed.value);
    expect(await bob('claims:get', { id: caseId })).toEqual({ ok: true, value: claimed.value });
  });

  it("refuses Bob's claim naming Alice, until he takes it over explicitly (audited)", async () => {
    const refused = await bob('claims:claim', { id: caseId });
    expect(refused.ok).toBe(false);
    expect(refused.error!.code).toBe('conflict');
    expect(refused.error!.message).toMatch(new RegExp(`^Case ${caseId} is being worked on by alice \\(claimed \\d{4}-.*the claim lapses at \\d{4}-`));
    const taken = await bob('claims:claim', { id: caseId, takeOver: true });
    expect(taken).toMatchObject({ ok: true, value: { operator: 'bob' } });
    // Alice's release does not touch Bob's claim: it answers the claim that stands.
    expect(await alice('claims:release', { id: caseId })).toMatchObject({ ok: true, value: { operator: 'bob' } });
    const audit = (await alice('cases:get', { id: caseId })).value.audit.map((a: { action: string; operator: string }) => `${a.action} ${a.operator}`);
    expect(audit).toEqual(expect.arrayContaining(['claimed alice', 'claim_taken_over bob']));
    expect(await bob('claims:release', { id: caseId })).toEqual({ ok: true, value: null });
    const page = await alice('queue:list', {});
    expect(page.value.items.find((i: { id: number }) => i.id === caseId).claim).toBeUndefined();
  });

  it('takes the idle time from the desk settings; an operator name saved applies at the next start', async () => {
    const view = await bob('desk:set', { claimIdleMinutes: 2 });
    expect(view.value).toEqual({
      operator: 'bob', defaultOperator: osOperator(), operatorSet: true, claimIdleMinutes: 2, restartNeeded: false,
      store: null, hasStorePassword: false, passwordStorage: 'none', openStore: { shown: '', kind: 'sqlite', from: 'data-dir' },
    });
    const c = await bob('claims:claim', { id: caseId });
    expect(c.value.expiresAt - c.value.lastSeenAt).toBe(2 * 60_000);
    const renamed = await bob('desk:set', { operator: 'robert' });
    expect(renamed.value).toMatchObject({ operator: 'bob', operatorSet: true, restartNeeded: true });
    expect((await bob('desk:set', { operator: null })).value).toMatchObject({ operatorSet: false, restartNeeded: osOperator() !== 'bob' });
    expect(await bob('desk:set', { operator: 'two\nlines' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
