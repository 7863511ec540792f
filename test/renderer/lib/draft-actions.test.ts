import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppState } from '../../../renderer/lib/app.svelte';
import { copyReply, recipient, saveDraft } from '../../../renderer/lib/draft-actions';
import { FakeApi, loadResult } from '../fake-api';

function withResult(host: 'electron' | 'browser' = 'browser') {
  const fake = new FakeApi(host);
  const app = new AppState(fake.api);
  const r = loadResult('seed001-synflood-backscatter');
  app.kase.result = r;
  app.kase.subject = r.draft.subject;
  app.kase.body = r.draft.body;
  return { fake, app, r };
}

describe('what happens to a reply draft', () => {
  afterEach(() => vi.restoreAllMocks());

  it('goes to the complaint\'s reporter', () => {
    const { app, r } = withResult();
    expect(recipient(app)).toBe(r.complaint.reporter.address);
  });

  it('in the browser: the host composes the .eml, which is downloaded under its name', async () => {
    const { fake, app } = withResult();
    fake.handlers['reply:compose'] = () => ({ ok: true, value: { fileName: 'reply.eml', mime: 'message/rfc822', content: 'From: x', subject: 's', to: [], warnings: [] } });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    URL.createObjectURL = vi.fn(() => 'blob:x');
    await saveDraft(app, 'eml');
    expect(fake.callsTo('reply:compose')).toEqual([expect.objectContaining({ format: 'eml', subject: app.kase.subject, body: app.kase.body })]);
    expect(click).toHaveBeenCalledTimes(1);
    expect(app.toasts.at(-1)?.text).toBe('Downloaded reply.eml');
  });

  it('without the reply service the plain rendering is downloaded; in Electron the native dialog saves it', async () => {
    const { app } = withResult();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    URL.createObjectURL = vi.fn(() => 'blob:x');
    await saveDraft(app, 'txt');
    expect(app.toasts.at(-1)?.text).toMatch(/^Downloaded .*\.txt$/);
    const e = withResult('electron');
    e.fake.handlers['draft:save'] = () => ({ ok: true, value: { saved: true, path: '/home/op/reply.eml' } });
    await saveDraft(e.app, 'eml');
    expect(e.app.toasts.at(-1)?.text).toBe('Saved to /home/op/reply.eml');
  });

  it('copying says whether the clipboard took it', async () => {
    const { app } = withResult();
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(async () => undefined) }, configurable: true });
    await copyReply(app);
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith(app.kase.body);
    expect(app.toasts.at(-1)).toMatchObject({ text: 'Reply copied to the clipboard', tone: 'success' });
  });
});
