import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../renderer/App.svelte';
import { AppState } from '../../renderer/lib/app.svelte';
import { FakeApi, loadResult } from './fake-api';

const COMPLAINT = 'Subject: portscan from 198.51.100.80\nOur IDS reported a portscan from your host 198.51.100.80.';

function setup(host: 'electron' | 'browser' = 'browser') {
  const fake = new FakeApi(host);
  const app = new AppState(fake.api);
  const view = render(App, { props: { app } });
  return { fake, app, view };
}

async function pasteAndAttach(fake: FakeApi) {
  const box = screen.getByLabelText('Complaint') as HTMLTextAreaElement;
  await fireEvent.input(box, { target: { value: COMPLAINT } });
  const input = screen.getByTestId('evidence-input') as HTMLInputElement;
  const file = new File([new Uint8Array(64)], 'www-border.pcap', { type: 'application/vnd.tcpdump.pcap' });
  await fireEvent.change(input, { target: { files: [file] } });
  await waitFor(() => expect(screen.getByText('pcap')).toBeTruthy());
  return fake;
}

describe('the app', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });
  afterEach(() => {
    document.documentElement.removeAttribute('data-theme');
  });

  it('starts on New case with the complaint box and our networks from settings', async () => {
    setup();
    expect(screen.getByRole('heading', { level: 1, name: 'New case' })).toBeTruthy();
    expect(screen.getByLabelText('Complaint')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('198.51.100.0/24')).toBeTruthy());
    const analyse = screen.getByRole('button', { name: /Analyse/ }) as HTMLButtonElement;
    expect(analyse.disabled).toBe(true);
  });

  it('attaches evidence by file input and lists its format, size and span', async () => {
    const { fake } = setup();
    await pasteAndAttach(fake);
    const row = screen.getByTestId('evidence-row');
    expect(row.textContent).toContain('www-border.pcap');
    expect(row.textContent).toContain('489 KiB');
    expect(row.textContent).toContain('6,864 packets');
    expect(row.textContent).toContain('2025-12-18 00:40:00 – 00:41:02 UTC');
    expect(fake.callsTo('evidence:describe')).toEqual([{ path: expect.stringMatching(/^upload:[0-9a-f]{32}$/) }]);
  });

  it('reads an .eml dropped on the complaint and takes other dropped files as evidence', async () => {
    const { fake } = setup();
    fake.handlers['evidence:describe'] = (r) => ({
      ok: true,
      value: {
        ref: (r as { path: string }).path, name: 'fw.log', format: 'netfilter', size: 2048, records: 12, linkTypes: [],
        firstTs: '2026-02-01 23:00:00.000000 UTC', lastTs: '2026-02-02 01:10:00.000000 UTC', timeInferred: true, warnings: [],
      },
    });
    const eml = new File(['From: noc@example.net\r\nSubject: scan\r\n\r\nscan from 198.51.100.81'], 'report.eml', { type: 'message/rfc822' });
    const log = new File(['x'.repeat(2048)], 'fw.log', { type: 'text/plain' });
    const box = screen.getByLabelText('Complaint') as HTMLTextAreaElement;
    await fireEvent.drop(box, { dataTransfer: { files: [eml, log], types: ['Files'] } });
    await waitFor(() => expect(box.value).toContain('scan from 198.51.100.81'));
    expect(screen.getByText('report.eml')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('evidence-row').textContent).toContain('12 records'));
    // Times from describe in the engine's own "... UTC" form, across midnight.
    expect(screen.getByTestId('evidence-row').textContent).toContain('2026-02-01 23:00:00 – 2026-02-02 01:10:00 UTC (year/zone inferred)');
  });

  it('runs an analysis: progress, then the result, then the draft', async () => {
    const { fake, app } = setup();
    await pasteAndAttach(fake);
    await fireEvent.click(screen.getByRole('button', { name: /Analyse/ }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Analysing…' })).toBeTruthy());
    const start = fake.callsTo('analysis:start')[0] as { complaintText: string; evidence: string[]; ourNets: string[] };
    expect(start.complaintText).toBe(COMPLAINT);
    expect(start.evidence).toHaveLength(1);
    expect(start.ourNets).toEqual(['198.51.100.0/24']);

    fake.emit('onProgress', { jobId: 'job1', fileIndex: 0, fileCount: 1, file: 'www-border.pcap', bytesDone: 32, bytesTotal: 64, records: 3000, stage: 'decoding' });
    await tick();
    const row = screen.getByTestId('progress-row');
    expect(row.textContent).toContain('3,000');
    expect(row.textContent).toContain('decoding');
    expect(within(row).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');

    fake.emit('onResult', { jobId: 'job1', result: loadResult('seed001-synflood-backscatter') });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Result' })).toBeTruthy());
    expect(app.view).toBe('result');
    const banner = screen.getByTestId('verdict-banner');
    expect(banner.dataset.verdict).toBe('backscatter');
    expect(banner.textContent).toContain('Backscatter');
    expect(banner.textContent).toContain('98%');
    // Focus moved to the new view's heading.
    await waitFor(() => expect(document.activeElement?.id).toBe('view-title'));

    // The first finding is open with its exact evidence rows; the others expand on demand.
    const findings = screen.getAllByTestId('finding');
    expect(findings.length).toBe(6);
    const first = within(findings[0]).getByRole('button');
    expect(first.getAttribute('aria-expanded')).toBe('true');
    expect(within(findings[0]).getAllByTestId('evidence-ref').length).toBeGreaterThan(3);
    const second = within(findings[1]).getByRole('button');
    expect(second.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(second);
    expect(second.getAttribute('aria-expanded')).toBe('true');
    const rows = within(findings[1]).getAllByTestId('evidence-ref');
    expect(rows[0].textContent).toMatch(/2025-12-18 00:40:\d\d\.\d{3}/);
    expect(rows[0].textContent).toMatch(/www-border\.pcap #\d+/);

    // The timeline is described for screen readers.
    const chart = screen.getByTestId('timeline-chart');
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.querySelector('desc')?.textContent).toMatch(/quoted evidence records/);
    expect(chart.querySelectorAll('circle').length).toBeGreaterThan(10);

    await fireEvent.click(screen.getByRole('button', { name: /Open reply draft/ }));
    const subject = screen.getByLabelText('Subject') as HTMLInputElement;
    expect(subject.value).toBe('Re: portscan from 198.51.100.80');
    const body = screen.getByLabelText('Reply body') as HTMLTextAreaElement;
    expect(body.value).toContain('backscatter');
    expect((screen.getByLabelText('Internal notes') as HTMLTextAreaElement).value).toContain('No action on 198.51.100.80');
  });

  it('edits, copies (Ctrl+Shift+C), saves and regenerates the draft', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { fake, app } = setup();
    app.kase.phase = 'running';
    app.kase.jobId = 'j';
    app.kase.applyResult(loadResult('seed001-nat-legit'));
    app.go('draft');
    await tick();
    const body = screen.getByLabelText('Reply body') as HTMLTextAreaElement;
    await fireEvent.input(body, { target: { value: `${body.value}\n-- edited by the operator` } });
    expect(app.kase.draftEdited).toBe(true);
    expect(screen.getByText('Edited')).toBeTruthy();

    await fireEvent.keyDown(window, { key: 'C', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    expect(writeText.mock.calls[0]).toEqual([expect.stringContaining('-- edited by the operator')]);

    // draft:save unsupported here: the page downloads a Blob instead.
    const createObjectURL = vi.fn(() => 'blob:x');
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await fireEvent.click(screen.getByRole('button', { name: /Save \.eml/ }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(fake.callsTo('draft:save')).toEqual([]);
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    const text = await blob.text();
    expect(text).toContain('X-Unsent: 1\r\n');
    expect(text).toContain('-- edited by the operator');
    click.mockRestore();

    await fireEvent.click(screen.getByRole('button', { name: /Regenerate/ }));
    await fireEvent.click(screen.getByRole('button', { name: /Discard edits/ }));
    expect(app.kase.draftEdited).toBe(false);
    expect(body.value).not.toContain('-- edited');
  });

  it('saves through draft:save in Electron', async () => {
    const { fake, app } = setup('electron');
    fake.handlers['draft:save'] = () => ({ ok: true, value: { saved: true, path: '/home/op/reply.eml' } });
    app.kase.phase = 'running';
    app.kase.jobId = 'j';
    app.kase.applyResult(loadResult('seed003-udp770-compromise'));
    app.go('draft');
    await tick();
    await fireEvent.click(screen.getByRole('button', { name: /Save \.txt/ }));
    await waitFor(() => expect(fake.callsTo('draft:save')).toHaveLength(1));
    expect(fake.callsTo('draft:save')[0]).toMatchObject({ format: 'txt' });
  });

  it('cancels a running analysis', async () => {
    const { fake } = setup();
    await pasteAndAttach(fake);
    await fireEvent.click(screen.getByRole('button', { name: /Analyse/ }));
    const cancel = await screen.findByRole('button', { name: /Cancel analysis/ });
    await waitFor(() => expect((cancel as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(cancel);
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Analysis cancelled' })).toBeTruthy());
    expect(fake.callsTo('analysis:cancel')).toEqual([{ jobId: 'job1' }]);
    expect(screen.getByTestId('progress-row').textContent).toContain('cancelled');
  });

  it('shows an engine failure', async () => {
    const { fake } = setup();
    await fireEvent.input(screen.getByLabelText('Complaint'), { target: { value: COMPLAINT } });
    await fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    await screen.findByRole('heading', { level: 1, name: 'Analysing…' });
    fake.emit('onEngineRestarted', { reason: 'signal SIGKILL', failedJobs: ['job1'], restarts: 1 });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('SIGKILL');
  });

  it('keyboard: Alt+P focuses the complaint from another view; ? opens the shortcut list', async () => {
    const { app } = setup();
    app.go('settings');
    await tick();
    await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', altKey: true });
    await waitFor(() => expect(document.activeElement?.id).toBe('complaint'));
    (document.activeElement as HTMLElement).blur();
    await fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Analyse the case');
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

describe('hostile input renders inert', () => {
  const HOSTILE = 'Subject: <img src=x onerror="window.__pwned=1">\n<script>window.__pwned=2</script>\n<b>bold</b> from 198.51.100.80';

  it('keeps a hostile complaint as text in the paste area', async () => {
    setup();
    const box = screen.getByLabelText('Complaint') as HTMLTextAreaElement;
    await fireEvent.input(box, { target: { value: HOSTILE } });
    expect(box.value).toBe(HOSTILE);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('main script')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
  });

  it('renders hostile strings in a result as text', async () => {
    const { app } = setup();
    const r = loadResult('seed001-synflood-backscatter');
    r.complaint.subject = '<img src=x onerror="window.__pwned=1">';
    r.complaint.times = [{ ...r.complaint.times[0], text: '<script>window.__pwned=2</script>' }];
    r.findings[0].summary = '<img src=y onerror=alert(1)> summary';
    r.findings[0].evidence[0].excerpt = '<script>alert(1)</script>';
    r.warnings = ['<iframe src="javascript:alert(1)"></iframe>'];
    r.draft.subject = 'Re: <img src=z onerror=alert(1)>';
    app.kase.phase = 'running';
    app.kase.jobId = 'j';
    app.kase.applyResult(r);
    app.go('result');
    await tick();
    const main = document.querySelector('main')!;
    expect(main.querySelector('img, script, iframe')).toBeNull();
    expect(main.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(main.textContent).toContain('<img src=y onerror=alert(1)> summary');
    app.go('draft');
    await tick();
    expect((screen.getByLabelText('Subject') as HTMLInputElement).value).toBe('Re: <img src=z onerror=alert(1)>');
    expect(document.querySelector('main img, main script, main iframe')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
