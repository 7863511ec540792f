import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, QUEUE_CLASSES, VERDICTS } from '../../analysis/case-vocabulary';
import { parseRequest } from '../../electron/common/contract';

describe('the case vocabulary is the one the contract checks against', () => {
  it('cases:setStatus takes each status and nothing else', () => {
    for (const status of CASE_STATUSES) expect(parseRequest('cases:setStatus', { id: 1, status }).ok).toBe(true);
    expect(parseRequest('cases:setStatus', { id: 1, status: 'open' }).ok).toBe(false);
  });

  it('cases:list filters by any of the statuses and verdicts at once, by no other word', () => {
    expect(parseRequest('cases:list', { status: [...CASE_STATUSES], verdict: [...VERDICTS] }).ok).toBe(true);
    expect(parseRequest('cases:list', { verdict: ['malicious'] }).ok).toBe(false);
  });

  it('queue:list filters by each queue class and nothing else', () => {
    for (const c of QUEUE_CLASSES) expect(parseRequest('queue:list', { class: c }).ok).toBe(true);
    expect(parseRequest('queue:list', { class: 'urgent' }).ok).toBe(false);
  });
});
