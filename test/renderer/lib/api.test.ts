import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../fake-api';

describe('the API the window talks to', () => {
  afterEach(() => { delete window.abuseDesk; });

  it('is the preload\'s bridge in Electron, made once and kept', async () => {
    const bridge = new FakeApi('electron').api;
    window.abuseDesk = bridge;
    vi.resetModules();
    const { getApi } = await import('../../../renderer/lib/api');
    expect(getApi()).toBe(bridge);
    delete window.abuseDesk;
    expect(getApi()).toBe(bridge);
  });

  it('is an HTTP client to serve when there is no bridge (the page was served to a browser)', async () => {
    vi.resetModules();
    const { getApi } = await import('../../../renderer/lib/api');
    const api = getApi();
    expect(api.host).toBe('browser');
    expect(getApi()).toBe(api);
  });
});
