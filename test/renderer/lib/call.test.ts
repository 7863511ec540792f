import { describe, expect, it } from 'vitest';
import { ApiError, call } from '../../../renderer/lib/call';
import { FakeApi } from '../fake-api';

describe('calling the contract from the window', () => {
  it('returns the value of an ok Result, throws an ApiError with the contract\'s code otherwise', async () => {
    const fake = new FakeApi();
    expect(await call(fake.api, 'settings:get', {})).toEqual({ ourNets: ['198.51.100.0/24'], theme: 'system' });
    await expect(call(fake.api, 'draft:save', { format: 'eml', subject: 's', body: 'b' })).rejects.toMatchObject({ name: 'ApiError', code: 'unsupported', message: 'not here' });
    expect(fake.callsTo('draft:save')).toHaveLength(1);
  });

  it('a transport that throws (the server went away) is an internal ApiError with its message', async () => {
    const api = { host: 'browser', invoke: async () => { throw new TypeError('Failed to fetch'); }, on: () => () => undefined } as never;
    await expect(call(api, 'app:info', {})).rejects.toEqual(new ApiError('internal', 'Failed to fetch'));
  });
});
