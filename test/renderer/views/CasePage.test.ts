import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/App.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import { FakeApi, loadResult } from '../fake-api';

const COMPLAINT = 'Subject: portscan from 198.51.100.80\nOur IDS reported a portscan from your host 198.51.100.80.';

function setup(host: 'electron' | 'browser' = 'browser') {
  const fake = new FakeApi(host);
  const app = new AppState(fake.api);
  render(App, { props: { app } });
  return { fake, app };
}

/** Paste, analyse, and let the engine answer with a result main saved as `saved`. */
async function analyse(fake: FakeApi, saved?: { caseId: number; existed: boolean; runId: number; draftId?: number }, saveError?: { code: string; message: string }) {
  await fireEvent.input(screen.getByLabelText('Complaint'), { target: { value: COMPLAINT } });
  await fireEvent.click(screen.getByRole('button', { name: /Analyse/ }));
  await waitFor(() => expect(fake.callsTo('analysis:start')).toHaveLength(1));
  fake.emit('onResult', { jobId: 'job1', result: loadResult('seed001-synflood-backscatter'), ...(saved ? { saved } : {}), ...(saveError ? { saveError: saveError as never } : {}) });
  await tick();
}

describe('history and cases in the app', () => {
  it('shows where the analysis was saved and opens that case', async () => {
    const { fake, app } = setup();
    const c = fake.addCase();
    await analyse(fake, { caseId: c.id, existed: false, runId: 1, draftId: c.drafts[0].id });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Result' })).toBeTruthy());
    await fireEvent.click(screen.getByTestId('saved-case'));
    await waitFor(() => expect(app.view).toBe('case'));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toContain(`#${c.id}`));
  });

  it('opens the existing case when the same complaint was analysed before', async () => {
    const { fake, app } = setup();
    const c = fake.addCase({ status: 'replied' });
    await analyse(fake, { caseId: c.id, existed: true, runId: 9 });
    await waitFor(() => expect(app.view).toBe('case'));
    await waitFor(() => expect(screen.getByTestId('duplicate-notice').textContent).toContain(`case ${c.id}`));
    expect((screen.getByTestId('status-select') as HTMLSelectElement).value).toBe('replied');
    // The new result stays reachable.
    await fireEvent.click(screen.getByRole('button', { name: 'View the new result' }));
    expect(app.view).toBe('result');
  });

  it('stores edited drafts as versions and marks the sent one', async () => {
    const { fake } = setup();
    const c = fake.addCase();
    await analyse(fake, { caseId: c.id, existed: false, runId: 1, draftId: c.drafts[0].id });
    await fireEvent.click(await screen.findByRole('button', { name: /Open reply draft/ }));
    const save = screen.getByRole('button', { name: /Save version/ }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Reply body'), { target: { value: 'Hello,\nedited.' } });
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    await waitFor(() => expect(fake.callsTo('cases:saveDraft')).toEqual([{ id: c.id, subject: expect.any(String), body: 'Hello,\nedited.' }]));
    await waitFor(() => expect(save.disabled).toBe(true));

    // Saving the file (a download in the browser) asks whether it was sent; it is only marked when the operator says so.
    URL.createObjectURL = () => 'blob:x';
    URL.revokeObjectURL = () => undefined;
    await fireEvent.click(screen.getByRole('button', { name: /Save \.txt/ }));
    const prompt = await screen.findByTestId('send-prompt');
    expect(fake.callsTo('cases:markSent')).toEqual([]);
    expect(fake.callsTo('cases:saveDraft')).toHaveLength(1); // unchanged text: no new version
    await fireEvent.click(within(prompt).getByRole('button', { name: 'Mark as sent' }));
    await waitFor(() => expect(fake.callsTo('cases:markSent')).toEqual([{ id: c.id, draftId: c.drafts.at(-1)!.id }]));
    await waitFor(() => expect(screen.queryByTestId('send-prompt')).toBeNull());
    expect(fake.cases.get(c.id)!.status).toBe('replied');
  });

  it('keeps the edited draft and shows a banner when the store is read-only', async () => {
    const { fake, app } = setup();
    const c = fake.addCase();
    await analyse(fake, { caseId: c.id, existed: false, runId: 1, draftId: c.drafts[0].id });
    fake.handlers['cases:saveDraft'] = () => ({ ok: false, error: { code: 'read_only', message: 'The case store in /data is read-only (EROFS): the case could not be saved.' } });
    await fireEvent.click(await screen.findByRole('button', { name: /Open reply draft/ }));
    await fireEvent.input(screen.getByLabelText('Reply body'), { target: { value: 'my careful edits' } });
    await fireEvent.click(screen.getByRole('button', { name: /Save version/ }));
    const banner = await screen.findByTestId('store-problem');
    expect(banner.textContent).toContain('The case store is read-only');
    expect(banner.textContent).toContain('nothing on screen was lost');
    expect((screen.getByLabelText('Reply body') as HTMLTextAreaElement).value).toBe('my careful edits');
    expect(app.kase.draftUnsaved).toBe(true);
  });

  it('says so, and keeps the result, when the analysis could not be saved', async () => {
    const { fake, app } = setup();
    await analyse(fake, undefined, { code: 'disk_full', message: 'The disk holding /data is full: the case could not be saved.' });
    await waitFor(() => expect(app.view).toBe('result'));
    expect(screen.getByTestId('store-problem').textContent).toContain('The disk is full');
    expect(screen.getByText(/Not saved to history/)).toBeTruthy();
    expect(screen.getByTestId('verdict-banner').dataset.verdict).toBe('backscatter');
    expect(app.kase.complaintText).toBe(COMPLAINT);
  });

  it('lists cases, searches, moves with j/k and opens with Enter', async () => {
    const { fake, app } = setup();
    fake.addCase({ id: 1 });
    fake.addCase({ id: 2, subject: 'worm on 198.51.100.99', verdict: 'compromise', status: 'new', tags: ['worm'] });
    fake.addCase({ id: 3, subject: 'ssh brute force', verdict: 'inconclusive' });
    await fireEvent.keyDown(window, { key: '5', code: 'Digit5', altKey: true });
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(3));
    const rows = screen.getAllByTestId('history-row');
    expect(rows[0].getAttribute('aria-selected')).toBe('true');
    expect(rows[1].textContent).toContain('worm on 198.51.100.99');
    expect(rows[1].textContent).toContain('Compromise');
    expect(rows[1].textContent).toContain('worm');

    const list = screen.getByTestId('history-list');
    await fireEvent.keyDown(list, { key: 'j' });
    await fireEvent.keyDown(list, { key: 'ArrowDown' });
    await fireEvent.keyDown(list, { key: 'k' });
    expect(screen.getAllByTestId('history-row')[1].getAttribute('aria-selected')).toBe('true');
    expect(list.getAttribute('aria-activedescendant')).toBe('case-row-2');
    await fireEvent.keyDown(list, { key: 'Enter' });
    await waitFor(() => expect(app.view).toBe('case'));
    expect(fake.callsTo('cases:get')).toEqual([{ id: 2 }]);

    // Back to History: the status chips filter, the search box searches.
    await fireEvent.keyDown(window, { key: '5', code: 'Digit5', altKey: true });
    await fireEvent.click(await screen.findByRole('button', { name: 'New', pressed: false }));
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(1));
    expect(fake.callsTo('cases:list').at(-1)).toMatchObject({ status: ['new'] });
    await fireEvent.click(screen.getByRole('button', { name: 'New', pressed: true }));
    await fireEvent.input(screen.getByLabelText('Search cases'), { target: { value: 'brute' } });
    await waitFor(() => expect(fake.callsTo('cases:search').at(-1)).toMatchObject({ query: 'brute' }), { timeout: 2000 });
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(1));
    expect(screen.getByTestId('history-row').querySelector('mark')?.textContent).toBe('brute');
  });

  it('changes status, adds a note and a tag on the Case page; the timeline follows', async () => {
    const { fake, app } = setup();
    const c = fake.addCase();
    await app.openCase(c.id);
    await tick();
    await fireEvent.change(screen.getByTestId('status-select'), { target: { value: 'closed' } });
    await waitFor(() => expect(fake.callsTo('cases:setStatus')).toEqual([{ id: c.id, status: 'closed' }]));
    await waitFor(() => expect(screen.getByTestId('case-timeline').textContent).toContain('status analysed → closed'));

    await fireEvent.input(screen.getByLabelText('Add a tag'), { target: { value: 'repeat-offender' } });
    await fireEvent.submit(screen.getByLabelText('Add a tag').closest('form')!);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Remove tag repeat-offender' })).toBeTruthy());

    await fireEvent.click(screen.getByRole('tab', { name: /Notes/ }));
    await fireEvent.input(screen.getByLabelText('Add a note'), { target: { value: 'called the customer' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(screen.getAllByTestId('note')[0].textContent).toContain('called the customer'));
    expect((screen.getByLabelText('Add a note') as HTMLTextAreaElement).value).toBe('');
    await fireEvent.click(screen.getByRole('tab', { name: /Timeline/ }));
    expect(screen.getByTestId('case-timeline').textContent).toContain('Note added');
  });

  it('keeps a typed note when the store refuses it', async () => {
    const { fake, app } = setup();
    const c = fake.addCase();
    fake.handlers['cases:addNote'] = () => ({ ok: false, error: { code: 'disk_full', message: 'The disk holding /data is full.' } });
    await app.openCase(c.id);
    app.casePage.tab = 'notes';
    await tick();
    await fireEvent.input(screen.getByLabelText('Add a note'), { target: { value: 'important' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await screen.findByTestId('store-problem');
    expect((screen.getByLabelText('Add a note') as HTMLTextAreaElement).value).toBe('important');
  });

  it('shows a broken chain of custody loudly', async () => {
    const { fake, app } = setup();
    const c = fake.addCase({ custodyProblem: true });
    c.evidence[0].custody = 'mismatch';
    c.evidence[0].actualSha256 = 'b'.repeat(64);
    await app.openCase(c.id);
    await tick();
    const alarm = screen.getByTestId('custody-alarm');
    expect(alarm.getAttribute('role')).toBe('alert');
    expect(alarm.textContent).toContain('CHAIN OF CUSTODY BROKEN');
    expect(alarm.textContent).toContain('www-border.pcap');
    await fireEvent.click(screen.getByRole('tab', { name: /Evidence/ }));
    expect(screen.getByTestId('evidence-custody').textContent).toContain('SHA-256 MISMATCH');
  });

  it('renders the stored complaint as text, never as markup', async () => {
    const { fake, app } = setup();
    const c = fake.addCase();
    await app.openCase(c.id);
    app.casePage.tab = 'complaint';
    await tick();
    expect(document.querySelector('main script')).toBeNull();
    expect(screen.getByText(/<script>alert\(1\)<\/script>/)).toBeTruthy();
  });

  it('shows every complaint about a host', async () => {
    const { fake, app } = setup();
    fake.addCase({ id: 1, accused: ['198.51.100.80'] });
    fake.addCase({ id: 2, accused: ['198.51.100.80'], receivedAt: Date.UTC(2026, 0, 5) });
    await app.openCase(1);
    await tick();
    await fireEvent.click(screen.getByRole('button', { name: /198\.51\.100\.80/ }));
    await waitFor(() => expect(screen.getByTestId('host-count').textContent).toBe('2'));
    expect(screen.getByTestId('host-chart').querySelectorAll('circle')).toHaveLength(2);
  });

  it('says at start when the case history cannot be opened', async () => {
    const fake = new FakeApi();
    fake.handlers['store:info'] = () => ({ ok: true, value: { available: false, dataDir: '/data', error: { code: 'corrupt', message: 'The case database in /data is damaged (SQLITE_NOTADB).' } } });
    render(App, { props: { app: new AppState(fake.api) } });
    const banner = await screen.findByTestId('store-problem');
    expect(banner.textContent).toContain('The case database is damaged: could not open the case history');
    expect(banner.textContent).toContain('SQLITE_NOTADB');
  });

});
