import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../renderer/lib/call';
import { errorMessage, isStoreProblem, STORE_PROBLEM_CODES, storeProblemTitle } from '../../../renderer/lib/store-problem';

describe('store problems in the window', () => {
  it('the store-wide codes get the banner, with a title each; other errors do not', () => {
    for (const code of STORE_PROBLEM_CODES) {
      expect(isStoreProblem(new ApiError(code, 'x')), code).toBe(true);
      expect(storeProblemTitle(code)).toMatch(/^The case (store|database)|^The disk/);
    }
    expect(isStoreProblem(new ApiError('not_found', 'no case 9'))).toBe(false);
    expect(isStoreProblem(Object.assign(new Error('x'), { code: 'read_only' }))).toBe(false);
    expect(storeProblemTitle('read_only')).toBe('The case store is read-only');
    expect(storeProblemTitle('store_unavailable')).toBe('The case store is not available');
    expect([errorMessage(new Error('boom')), errorMessage('plain')]).toEqual(['boom', 'plain']);
  });
});
