import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { fillGroupTemplate } from '../../../analysis/draft/group-reply';
import { PLACEHOLDERS } from '../../../analysis/draft/placeholders';
import { defaultTemplate, TEMPLATE_KEYS, templateKeyLabel, type TemplateKey } from '../../../analysis/draft/template-keys';
import TemplateSettings from '../../../renderer/components/TemplateSettings.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import type { TemplateView } from '../../../renderer/lib/types';
import { FakeApi } from '../fake-api';

type Req = TemplateKey & { subject?: string; body?: string; caseId?: number; expectedVersion?: number };

/** The template channels over an in-memory table, filled with the real filler so the preview reads as the host's would. */
function scriptTemplates(fake: FakeApi): Map<string, TemplateView> {
  const rows = new Map<string, TemplateView>();
  const id = (k: TemplateKey) => `${k.reportClass}|${k.verdict}`;
  for (const k of TEMPLATE_KEYS) {
    const builtIn = defaultTemplate(k);
    rows.set(id(k), { ...k, label: templateKeyLabel(k), ...builtIn, custom: false, builtIn, version: 0, updatedAt: null, updatedBy: null });
  }
  const ok = <T>(value: T) => ({ ok: true as const, value: structuredClone(value) });
  fake.handlers['templates:list'] = () => ok({ templates: [...rows.values()], placeholders: [...PLACEHOLDERS] });
  fake.handlers['templates:set'] = (r) => {
    const q = r as Req;
    const cur = rows.get(id(q))!;
    if (q.expectedVersion !== cur.version) return { ok: false, error: { code: 'conflict', message: 'changed by bob since you opened it' } };
    const next = { ...cur, subject: q.subject!, body: q.body!, custom: true, version: cur.version + 1, updatedAt: Date.now(), updatedBy: 'alice' };
    rows.set(id(q), next);
    return ok(next);
  };
  fake.handlers['templates:reset'] = (r) => {
    const cur = rows.get(id(r as Req))!;
    const next = { ...cur, ...cur.builtIn, custom: false, version: cur.version + 1 };
    rows.set(id(r as Req), next);
    return ok(next);
  };
  fake.handlers['templates:preview'] = (r) => {
    const q = r as Req;
    const c = fake.cases.get(q.caseId!)!;
    const filled = fillGroupTemplate({ subject: q.subject!, body: q.body! }, {
      reporter: { name: c.reporterName ?? undefined }, accused: c.accused[0], quotedLines: [], times: [], subject: c.subject ?? undefined, caseId: c.id,
    });
    return ok({ caseId: c.id, ...filled, customer: null, caseKey: { reportClass: 'network-abuse', verdict: c.verdict ?? 'inconclusive' } });
  };
  return rows;
}

async function settings() {
  const fake = new FakeApi();
  fake.addCase({ id: 1, subject: 'portscan from 198.51.100.81' });
  // The newest case is offered first; its subject carries markup that must stay text.
  fake.addCase({ id: 2, subject: 'scan <img src=x onerror=alert(1)> from 198.51.100.82', reporterName: 'Alpha NOC' });
  const rows = scriptTemplates(fake);
  render(TemplateSettings, { props: { app: new AppState(fake.api) } });
  const body = await screen.findByLabelText('Text') as HTMLTextAreaElement;
  await waitFor(() => expect(body.value).toContain('{greeting}'));
  return { fake, rows, body, subject: screen.getByLabelText('Subject') as HTMLInputElement };
}

const previewBody = () => screen.getByTestId('template-preview-body').textContent;

describe('Settings → Reply templates', () => {
  it('starts on network abuse · backscatter with the built-in text, previewed against the newest stored case as text', async () => {
    const { fake } = await settings();
    expect(screen.getByTestId('template-state').textContent).toMatch(/Built-in text/);
    await waitFor(() => expect(previewBody()).toMatch(/^Dear Alpha NOC,\n\nthank you for your report about traffic from 198\.51\.100\.82\./));
    expect(screen.getByTestId('template-preview-subject').textContent).toBe('Re: scan <img src=x onerror=alert(1)> from 198.51.100.82');
    expect(document.querySelector('[data-testid="template-preview"] img')).toBeNull();
    expect(fake.callsTo('templates:preview').at(-1)).toMatchObject({ reportClass: 'network-abuse', verdict: 'backscatter', caseId: 2 });
    expect((screen.getByRole('button', { name: 'Save template' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('names an unknown placeholder as it is typed, does not preview or save it', async () => {
    const { fake, body } = await settings();
    await waitFor(() => expect(fake.callsTo('templates:preview').length).toBeGreaterThan(0));
    const before = fake.callsTo('templates:preview').length;
    await fireEvent.input(body, { target: { value: 'Dear {reporter},\n\nour customer {custmer} runs it.' } });
    expect(screen.getByTestId('template-problems').textContent).toMatch(/Unknown placeholder: \{custmer\}/);
    expect(body.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByRole('button', { name: 'Save template' }) as HTMLButtonElement).disabled).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.callsTo('templates:preview')).toHaveLength(before);
    expect(fake.callsTo('templates:set')).toHaveLength(0);
  });

  it('previews the edited text against the chosen case, saves it with its version, and resets it', async () => {
    const { fake, rows, body } = await settings();
    await fireEvent.change(screen.getByLabelText('Preview with case'), { target: { value: '1' } });
    await fireEvent.input(body, { target: { value: 'Hello {reporter}, about {accused} (case {case}).\n\n{signature}' } });
    expect(screen.getByTestId('template-state').textContent).toMatch(/unsaved edits/);
    await waitFor(() => expect(previewBody()).toBe('Hello Example NOC, about 198.51.100.81 (case 1).\n\nAbuse desk'));
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }));
    await waitFor(() => expect(screen.getByTestId('template-status').textContent).toMatch(/Saved: drafts for Network abuse · backscatter now use this text/));
    expect(fake.callsTo('templates:set')).toEqual([{
      reportClass: 'network-abuse', verdict: 'backscatter', subject: 'Re: {subject}', body: 'Hello {reporter}, about {accused} (case {case}).\n\n{signature}', expectedVersion: 0,
    }]);
    expect(rows.get('network-abuse|backscatter')!.custom).toBe(true);
    expect(screen.getByTestId('template-state').textContent).toMatch(/Your text\s+version 1, saved by alice/);
    await fireEvent.click(screen.getByRole('button', { name: 'Reset to built-in' }));
    await waitFor(() => expect(screen.getByTestId('template-state').textContent).toMatch(/Built-in text/));
    expect(body.value).toBe(defaultTemplate({ reportClass: 'network-abuse', verdict: 'backscatter' }).body);
    expect(fake.callsTo('templates:reset')).toEqual([{ reportClass: 'network-abuse', verdict: 'backscatter', expectedVersion: 1 }]);
  });

  it('keeps each template\'s unsaved edits while another is open, and shows a refused save\'s reason', async () => {
    const { rows, body } = await settings();
    await fireEvent.input(body, { target: { value: 'Backscatter text' } });
    await fireEvent.change(screen.getByLabelText('Report type'), { target: { value: 'phishing' } });
    await fireEvent.change(screen.getByLabelText('Verdict'), { target: { value: 'inconclusive' } });
    expect(body.value).toBe(defaultTemplate({ reportClass: 'phishing', verdict: 'inconclusive' }).body);
    expect(body.value).toMatch(/take the fraudulent content down/);
    await fireEvent.change(screen.getByLabelText('Report type'), { target: { value: 'network-abuse' } });
    await fireEvent.change(screen.getByLabelText('Verdict'), { target: { value: 'backscatter' } });
    expect(body.value).toBe('Backscatter text');
    // Someone else saved this template meanwhile: the store refuses, and says so.
    rows.set('network-abuse|backscatter', { ...rows.get('network-abuse|backscatter')!, version: 4 });
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }));
    await waitFor(() => expect(screen.getByTestId('template-status').textContent).toMatch(/changed by bob since you opened it/));
    expect(body.value).toBe('Backscatter text');
  });
});
