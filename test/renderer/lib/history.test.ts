import { describe, expect, it } from 'vitest';
import { emptyFilters, filterRequest } from '../../../renderer/lib/history.svelte';

describe('the history filters', () => {
  it('turns the filter inputs into a valid request, leaving out what is not valid yet', () => {
    const f = { ...emptyFilters(), status: ['new' as const], accused: '198.51.100.0/2x', reporterDomain: '@Example.NET', from: '2025-12-01' };
    expect(filterRequest(f)).toEqual({ request: { status: ['new'], reporterDomain: 'example.net', from: '2025-12-01' }, invalid: ['accused'] });
  });
});
