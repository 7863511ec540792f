import { describe, expect, it } from 'vitest';
import { AUDIT_LABEL, CASE_TABS, CasePageState, HostState } from '../../../renderer/lib/case-page.svelte';
import { FakeApi } from '../fake-api';

describe('the case page\'s state', () => {
  it('opens a case on its timeline, keeps the tab when the same case reloads, and starts the draft editor from the latest version', async () => {
    const fake = new FakeApi();
    const c = fake.addCase({ id: 7, subject: 'portscan', accused: ['198.51.100.80'] });
    const page = new CasePageState(fake.api);
    await page.open(7);
    expect([page.id, page.tab, page.detail?.subject, page.error]).toEqual([7, 'timeline', 'portscan', null]);
    page.tab = 'notes';
    await page.open(7);
    expect(page.tab).toBe('notes');
    const latest = c.drafts.at(-1);
    expect([page.draftSubject, page.draftBody]).toEqual(latest ? [latest.subject, latest.body] : ['', '']);
    expect(page.draftDirty).toBe(false);
    page.draftBody += ' edited';
    expect(page.draftDirty).toBe(true);
  });

  it('a case the store does not have is an error on the page, not a throw', async () => {
    const page = new CasePageState(new FakeApi().api);
    await page.open(999);
    expect(page.error?.code).toBe('not_found');
    expect(page.detail).toBeNull();
  });

  it('changes the status and adds a note through the contract, and the page shows the case the reply carries', async () => {
    const fake = new FakeApi();
    fake.addCase({ id: 3, status: 'new' });
    const page = new CasePageState(fake.api);
    await page.open(3);
    const after = await page.setStatus('closed');
    expect(after?.status).toBe('closed');
    expect(fake.callsTo('cases:setStatus')).toEqual([expect.objectContaining({ id: 3, status: 'closed' })]);
    page.noteText = 'called the customer';
    await page.addNote();
    expect(fake.callsTo('cases:addNote')).toEqual([expect.objectContaining({ id: 3, body: 'called the customer' })]);
    expect(page.noteText).toBe('');
  });

  it('names every tab once and labels the audit actions', () => {
    expect(new Set(CASE_TABS.map((t) => t.id)).size).toBe(CASE_TABS.length);
    expect(Object.values(AUDIT_LABEL).every((l) => l.length > 0)).toBe(true);
  });

  it('a host\'s history is loaded by address', async () => {
    const fake = new FakeApi();
    fake.addCase({ id: 1, accused: ['198.51.100.80'] });
    const h = new HostState(fake.api);
    await h.open('198.51.100.80');
    expect(h.address).toBe('198.51.100.80');
    expect(fake.callsTo('cases:hostHistory')).toEqual([{ address: '198.51.100.80' }]);
  });
});
