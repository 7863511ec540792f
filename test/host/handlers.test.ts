import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineHost } from '../../host/engine-host';
import { createHandlers, dispatch } from '../../host/handlers';
import { SettingsStore } from '../../host/settings-store';
import { tempDir } from '../electron/helpers';

const good = { complaintText: 'Subject: scan\n198.51.100.7 scanned us', evidence: ['/tmp/a.pcap'], ourNets: ['198.51.100.0/24', '2001:db8::/32'] };

describe('dispatch', () => {
  const settingsDir = tempDir('ad-contract-');
  afterAll(() => settingsDir.remove());
  const engine = {
    startAnalysis: () => ({ jobId: 'j1' }),
    cancel: () => false,
    engineVersion: async () => '9.9.9',
  } as unknown as EngineHost;
  const handlers = createHandlers({
    engine,
    settings: new SettingsStore(settingsDir.dir),
    info: { host: 'browser', appVersion: '1.0.0', nativeDialogs: false },
    resolveEvidence: async (ref) => ({ path: ref, name: 'x' }),
  });

  it('answers unknown channels and bad arguments with a Result, never a throw', async () => {
    expect(await dispatch(handlers, 'fs:readFile', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch(handlers, 'analysis:start', { evidence: 5 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch(handlers, 'analysis:start', good)).toEqual({ ok: true, value: { jobId: 'j1' } });
    expect(await dispatch(handlers, 'app:info', {})).toEqual({ ok: true, value: { host: 'browser', appVersion: '1.0.0', nativeDialogs: false, engineVersion: '9.9.9' } });
  });

  it('says unsupported for native dialogs without them', async () => {
    expect(await dispatch(handlers, 'dialog:openEvidence', {})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('stores settings', async () => {
    expect(await dispatch(handlers, 'settings:get', {})).toEqual({ ok: true, value: { ourNets: [], theme: 'system' } });
    await dispatch(handlers, 'settings:set', { ourNets: ['198.51.100.0/24'] });
    await dispatch(handlers, 'settings:set', { theme: 'dark' });
    expect(new SettingsStore(settingsDir.dir).get()).toEqual({ ourNets: ['198.51.100.0/24'], theme: 'dark' });
    writeFileSync(join(settingsDir.dir, 'settings.json'), '{"ourNets": ["not a net"]');
    expect(new SettingsStore(settingsDir.dir).get()).toEqual({ ourNets: [], theme: 'system' });
  });
});
