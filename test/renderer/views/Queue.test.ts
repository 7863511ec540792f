import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/App.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import { groupTemplate } from '../../../renderer/lib/queue.svelte';
import { FakeApi } from '../fake-api';

/** Four open cases: one likely compromise, one to look at, two likely false positives of one group. */
function seeded(host: 'electron' | 'browser' = 'browser') {
  const fake = new FakeApi(host).scriptQueue();
  const fp1 = fake.addCase({ id: 1, subject: 'portscan from 198.51.100.80', accused: ['198.51.100.80'], verdict: null, confidence: null, status: 'new', reporterName: 'NOC One', complaintName: 'one.eml', complaintRaw: 'From: noc@one.example\nSubject: portscan\n\nscan from 198.51.100.80' });
  const worm = fake.addCase({ id: 2, subject: 'worm from 198.51.100.90', accused: ['198.51.100.90'], verdict: null, confidence: null, status: 'new' });
  const fp2 = fake.addCase({ id: 3, subject: 'scan again from 198.51.100.80', accused: ['198.51.100.80'], verdict: null, confidence: null, status: 'new', reporterName: 'NOC Two' });
  const other = fake.addCase({ id: 4, subject: 'spam complaint', accused: ['198.51.100.7'], verdict: null, confidence: null, status: 'new' });
  const group = 'backscatter|198.51.100.80|portscan';
  fake.queueInfo.set(fp1.id, { queueClass: 'false-positive', rankReason: 'likely backscatter: packets from our port 80', groupKey: group, provisionalVerdict: 'backscatter' });
  fake.queueInfo.set(worm.id, { queueClass: 'compromise', rankReason: 'likely compromise: UDP bursts from port 770', groupKey: 'compromise|198.51.100.90|worm', provisionalVerdict: 'compromise' });
  fake.queueInfo.set(fp2.id, { queueClass: 'false-positive', rankReason: 'likely backscatter: 2nd report about 198.51.100.80 this week', groupKey: group, provisionalVerdict: 'backscatter' });
  fake.queueInfo.set(other.id, { queueClass: 'other', rankReason: 'no clear leaning yet' });
  const app = new AppState(fake.api);
  render(App, { props: { app } });
  return { fake, app };
}

const rows = () => screen.getAllByTestId('queue-row');
const key = (k: string) => fireEvent.keyDown(window, { key: k });

describe('the triage queue', () => {
  it('opens on the queue when there are open cases, ranked, with the reason and counts per class', async () => {
    const { app } = seeded();
    await waitFor(() => expect(app.view).toBe('queue'));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(rows().map((r) => r.dataset.class)).toEqual(['compromise', 'other', 'false-positive', 'false-positive']);
    expect(rows()[0].textContent).toContain('UDP bursts from port 770');
    expect(within(screen.getByTestId('class-compromise')).getByText('1')).toBeTruthy();
    expect(within(screen.getByTestId('class-false-positive')).getByText('2')).toBeTruthy();
    expect(rows()[2].textContent).toMatch(/likely backscatter/);
    // The sidebar entry carries the count.
    expect(screen.getByTestId('nav-queue').textContent).toContain('4');
    // A class card filters.
    await fireEvent.click(screen.getByTestId('class-false-positive'));
    await waitFor(() => expect(rows()).toHaveLength(2));
    await fireEvent.click(screen.getByTestId('class-false-positive'));
    await waitFor(() => expect(rows()).toHaveLength(4));
  });

  it('lists the messages that could not be read (quarantined) above the cases, each with its badge and error', async () => {
    const { fake, app } = seeded();
    const list = fake.handlers['queue:list']!;
    fake.handlers['queue:list'] = async (r) => {
      const page = (await list(r)) as { ok: true; value: object };
      const unreadable = [{ id: 7, sourceName: 'INBOX UID 3', error: 'could not be read as a complaint: Invalid string length', quarantinedAt: Date.now() - 60_000, attempts: 2 }];
      return { ok: true, value: { ...page.value, unreadable } };
    };
    await waitFor(() => expect(app.view).toBe('queue'));
    await app.queue.load();
    const box = await screen.findByTestId('queue-unreadable');
    expect(within(box).getByTestId('unreadable-badge').textContent).toBe('could not be read');
    expect(box.textContent).toContain('INBOX UID 3');
    expect(box.textContent).toContain('Invalid string length');
    expect(box.textContent).toContain('2 attempts');
    expect(rows()).toHaveLength(4);
  });

  it('is driven by the keyboard: j/k move, Enter opens, c closes, r opens the reply, a analyses', async () => {
    const { fake, app } = seeded();
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(rows()[0].getAttribute('aria-selected')).toBe('true');
    await key('j');
    expect(rows()[1].getAttribute('aria-selected')).toBe('true');
    await key('ArrowDown');
    await key('k');
    expect(rows()[1].getAttribute('aria-selected')).toBe('true');
    // c closes the case: it leaves the queue.
    await key('c');
    await waitFor(() => expect(fake.callsTo('queue:bulk')).toEqual([{ action: 'status', caseIds: [4], status: 'closed' }]));
    await waitFor(() => expect(rows()).toHaveLength(3));
    // Enter opens the selected case.
    await key('Enter');
    await waitFor(() => expect(app.view).toBe('case'));
    expect(app.casePage.id).toBe(1);
    // r: the reply of a case (Drafts tab).
    await fireEvent.keyDown(window, { key: '6', code: 'Digit6', altKey: true });
    await waitFor(() => expect(app.view).toBe('queue'));
    await key('r');
    await waitFor(() => expect(app.view).toBe('case'));
    expect(app.casePage.tab).toBe('drafts');
    // a: New case with the complaint prefilled, waiting for the evidence.
    app.go('queue');
    await waitFor(() => expect(rows().length).toBe(3));
    await key('a');
    await waitFor(() => expect(app.view).toBe('new'));
    expect((screen.getByLabelText('Complaint') as HTMLTextAreaElement).value).toContain('scan from 198.51.100.80');
    expect(app.kase.complaintFile).toBe('one.eml');
  });

  it('selects with x and acts in bulk: tag, status', async () => {
    const { fake } = seeded();
    await waitFor(() => expect(rows()).toHaveLength(4));
    await key('x');
    await key('j');
    await key('x');
    const bar = await screen.findByTestId('bulk-bar');
    expect(bar.textContent).toContain('2 selected');
    // Not one group: no group answer.
    expect((within(bar).getByTestId('group-reply-open') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(within(bar).getByLabelText('Tag'), { target: { value: 'worm' } });
    await fireEvent.click(within(bar).getByRole('button', { name: /Tag/ }));
    await waitFor(() => expect(fake.callsTo('queue:bulk')).toEqual([{ action: 'tag', caseIds: [2, 4], tag: 'worm' }]));
    expect(fake.cases.get(2)!.tags).toContain('worm');
    await fireEvent.change(within(bar).getByLabelText('Status'), { target: { value: 'replied' } });
    await fireEvent.click(within(bar).getByRole('button', { name: 'Set status' }));
    await waitFor(() => expect(fake.callsTo('queue:bulk')[1]).toEqual({ action: 'status', caseIds: [2, 4], status: 'replied' }));
    await waitFor(() => expect(screen.queryByTestId('bulk-bar')).toBeNull());
    await key('x');
    await key('Escape');
    expect(screen.queryByTestId('bulk-bar')).toBeNull();
  });

  it('answers a group with one reviewed template: preview per case, then drafts for all', async () => {
    const { fake } = seeded();
    await waitFor(() => expect(rows()).toHaveLength(4));
    await key('j');
    await key('j');
    // g selects the row's whole group.
    await key('g');
    const bar = await screen.findByTestId('bulk-bar');
    expect(bar.textContent).toContain('2 selected');
    const open = within(bar).getByTestId('group-reply-open') as HTMLButtonElement;
    expect(open.disabled).toBe(false);
    await fireEvent.click(open);
    const panel = await screen.findByTestId('group-reply');
    expect((within(panel).getByLabelText('Reply template') as HTMLTextAreaElement).value).toBe(groupTemplate('backscatter').body);
    const save = within(panel).getByTestId('group-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true); // preview first
    await fireEvent.input(within(panel).getByLabelText('Reply template'), { target: { value: 'Dear {reporter}, {accused} answered forged packets: {quoted_lines}' } });
    await fireEvent.click(within(panel).getByRole('button', { name: /Preview drafts/ }));
    const preview = await within(panel).findByTestId('group-preview');
    expect(preview.textContent).toContain('Dear NOC One, 198.51.100.80 answered forged packets: line of case 1');
    await fireEvent.click(within(panel).getByRole('tab', { name: '#3' }));
    expect(within(panel).getByTestId('group-preview').textContent).toContain('Dear NOC Two');
    await waitFor(() => expect(save.disabled).toBe(false));
    await fireEvent.click(save);
    await waitFor(() => expect(fake.callsTo('queue:bulk')).toEqual([{ action: 'reply', caseIds: [1, 3], subject: 'Re: {subject}', body: 'Dear {reporter}, {accused} answered forged packets: {quoted_lines}' }]));
    await waitFor(() => expect(screen.queryByTestId('group-reply')).toBeNull());
    expect(fake.cases.get(3)!.drafts.at(-1)!.body).toContain('Dear NOC Two');
    expect(screen.queryByTestId('bulk-bar')).toBeNull();
  });

  it('imports uploaded mail in the browser and says what it did', async () => {
    const { fake } = seeded();
    await waitFor(() => expect(rows()).toHaveLength(4));
    const input = screen.getByTestId('intake-input') as HTMLInputElement;
    const files = [new File(['From: a\n\nx'], 'a.eml'), new File(['From b\n'], 'box.mbox')];
    await fireEvent.change(input, { target: { files } });
    await waitFor(() => expect(fake.callsTo('intake:importPaths')).toHaveLength(1));
    expect((fake.callsTo('intake:importPaths')[0] as { uploads: string[] }).uploads).toHaveLength(2);
    expect((await screen.findAllByText(/Imported 2 messages: 2 new cases/)).length).toBeGreaterThan(0);
  });

  it('imports with the native dialogs in the desktop app', async () => {
    const { fake } = seeded('electron');
    await waitFor(() => expect(rows()).toHaveLength(4));
    await fireEvent.click(screen.getByRole('button', { name: /Import folder/ }));
    await waitFor(() => expect(fake.callsTo('intake:importPaths')).toEqual([{ dialog: 'folder' }]));
  });

  it('explains what to do when the queue is empty, and stays on New case', async () => {
    const fake = new FakeApi().scriptQueue();
    const app = new AppState(fake.api);
    render(App, { props: { app } });
    await waitFor(() => expect(app.queue.loaded).toBe(true));
    expect(app.view).toBe('new');
    await fireEvent.click(screen.getByTestId('nav-queue'));
    const empty = await screen.findByTestId('queue-empty');
    expect(empty.textContent).toMatch(/Import complaint mail[\s\S]*IMAP account/);
  });

  it('refreshes when mail arrives by the IMAP timer', async () => {
    const { fake, app } = seeded();
    await waitFor(() => expect(rows()).toHaveLength(4));
    fake.addCase({ id: 5, subject: 'new one', verdict: null, confidence: null, status: 'new' });
    fake.queueInfo.set(5, { queueClass: 'compromise', rankReason: 'likely compromise: new' });
    fake.emit('onQueueChanged', { source: 'imap', messages: 1, created: 1 });
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(app.queue.counts.compromise).toBe(2);
    expect((await screen.findAllByText(/1 new complaint fetched by IMAP/)).length).toBeGreaterThan(0);
  });

  it('the import toast says how many were imported and how many could not be read', async () => {
    const { fake } = seeded();
    await waitFor(() => expect(rows()).toHaveLength(4));
    fake.handlers['intake:importPaths'] = () => ({ ok: true, value: {
      messages: 3, counts: { created: 1, 'joined-thread': 0, 'joined-duplicate': 0, 'already-imported': 1 }, caseIds: [], warnings: [], aborted: false, cancelled: false,
      quarantined: [{ source: 'broken.eml', error: 'could not be read as a complaint' }],
    } });
    await fireEvent.change(screen.getByTestId('intake-input') as HTMLInputElement, { target: { files: [new File(['x'], 'a.mbox')] } });
    expect((await screen.findAllByText('Imported 3 messages: 1 new case, 1 already here · 1 could not be read (quarantined: broken.eml)')).length).toBeGreaterThan(0);
  });
});
