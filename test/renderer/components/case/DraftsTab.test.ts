import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../../renderer/App.svelte';
import { AppState } from '../../../../renderer/lib/app.svelte';
import { FakeApi } from '../../fake-api';

/** An imported complaint, never analysed: no run, no draft, in the queue. */
function unanalysed() {
  const fake = new FakeApi().scriptQueue();
  const d = fake.addCase({ id: 1, subject: 'spam from 198.51.100.7', accused: ['198.51.100.7'], verdict: null, confidence: null, status: 'new', runs: [], drafts: [], evidence: [] });
  fake.queueInfo.set(d.id, { queueClass: 'spam', rankReason: 'spam report' });
  const app = new AppState(fake.api);
  render(App, { props: { app } });
  return { fake, app, d };
}

describe('the reply of a case never analysed', () => {
  it('r in the queue says there is no analysis yet and offers one, instead of an empty editor', async () => {
    const { fake, app, d } = unanalysed();
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(1));
    await fireEvent.keyDown(window, { key: 'r' });
    await waitFor(() => expect(app.casePage.tab).toBe('drafts'));
    const notice = await screen.findByTestId('no-analysis');
    expect(notice.textContent).toMatch(/Case 1 has not been analysed yet/);
    expect(notice.textContent).toMatch(/complaint alone \(it holds no evidence\)/);
    expect(document.getElementById('case-draft-body')).toBeNull();
    // Analyse now: the stored complaint through the engine; the drafted reply then fills the editor.
    fake.handlers['cases:reanalyze'] = () => {
      const run = { id: 50, caseId: 1, createdAt: Date.now(), verdict: 'inconclusive', confidence: 0.8, durationMs: 5, options: {}, engineVersion: '0.1.0' };
      Object.assign(d, { status: 'analysed', verdict: 'inconclusive', confidence: 0.8, runs: [run],
        drafts: [{ id: 51, caseId: 1, version: 1, subject: 'Re: spam', body: 'Hello,\nwe passed your report on.', origin: 'generated', runId: 50, createdAt: Date.now(), sentAt: null }] });
      return { ok: true, value: structuredClone(d) };
    };
    await fireEvent.click(screen.getByRole('button', { name: /Analyse now/ }));
    await waitFor(() => expect((document.getElementById('case-draft-body') as HTMLTextAreaElement | null)?.value).toBe('Hello,\nwe passed your report on.'));
    expect(screen.queryByTestId('no-analysis')).toBeNull();
  });

  it('a reply can still be written by hand and saved as its first version', async () => {
    const { fake, app } = unanalysed();
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(1));
    await app.openReply(1);
    await fireEvent.click(await screen.findByRole('button', { name: /Write a reply without analysis/ }));
    const save = screen.getByRole('button', { name: /Save as new version/ }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.input(document.getElementById('case-draft-body')!, { target: { value: 'Hello,\nwe have forwarded your report.' } });
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    await waitFor(() => expect(fake.callsTo('cases:saveDraft')).toHaveLength(1));
  });

  it('Attach evidence first puts the complaint in New case, joined to the case', async () => {
    const { app } = unanalysed();
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(1));
    await app.openReply(1);
    await fireEvent.click(await screen.findByRole('button', { name: /Attach evidence first/ }));
    await waitFor(() => expect(app.view).toBe('new'));
    expect(app.kase.joinCase).toBe(1);
  });
});
