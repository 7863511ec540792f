import { describe, expect, it } from 'vitest';
import { importSummaryText } from '../../../renderer/lib/queue.svelte';

describe('an import in words', () => {
  it('summarises an import in words', () => {
    expect(importSummaryText({ messages: 3, counts: { created: 1, 'joined-thread': 1, 'joined-duplicate': 0, 'already-imported': 1 }, caseIds: [], warnings: [], aborted: false }))
      .toBe('3 messages: 1 new case, 1 joined their thread, 1 already here');
  });  it('counts the messages that could not be read (quarantined) and names them, so the parts add up', () => {
    const quarantined = [{ source: 'hostile.eml', error: 'could not be read as a complaint' }, { source: 'INBOX UID 7', error: 'too big' }];
    expect(importSummaryText({ messages: 4, counts: { created: 2, 'joined-thread': 0, 'joined-duplicate': 0, 'already-imported': 0 }, caseIds: [1, 2], warnings: [], aborted: false, quarantined }))
      .toBe('4 messages: 2 new cases · 2 could not be read (quarantined: hostile.eml, INBOX UID 7)');
    const many = Array.from({ length: 5 }, (_, i) => ({ source: `m${i}.eml`, error: 'x' }));
    expect(importSummaryText({ messages: 5, counts: { created: 0, 'joined-thread': 0, 'joined-duplicate': 0, 'already-imported': 0 }, caseIds: [], warnings: [], aborted: true, quarantined: many }))
      .toBe('5 messages: 0 new cases · 5 could not be read (quarantined: m0.eml, m1.eml, m2.eml and 2 more) · stopped before the end');
  });
});
