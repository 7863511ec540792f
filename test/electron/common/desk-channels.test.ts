/**
 * The desk channels' schemas (electron/common/desk-channels.ts): the shared
 * store's address as Settings keeps it (postgres://, a user, a host and a
 * database, never a password), the operator name (one line), and what
 * desk:set and the claim channels take.
 */
import { describe, expect, it } from 'vitest';
import { deskChannels, operatorName, storeUrl } from '../../../electron/common/desk-channels';

describe('desk channels', () => {
  it.each([
    'postgres://desk@db.example.net:5432/abuse', 'postgresql://desk@10.0.0.5/abuse', 'postgres://desk@[2001:db8::5]:5433/abuse?sslmode=require',
  ])('takes the store address %s', (u) => {
    expect(storeUrl.safeParse(u)).toMatchObject({ success: true, data: u });
  });

  it.each([
    ['a password in it', 'postgres://desk:S3cret@db.example.net/abuse'],
    ['no database', 'postgres://desk@db.example.net/'],
    ['no user', 'postgres://db.example.net/abuse'],
    ['another scheme', 'mysql://desk@db.example.net/abuse'],
    ['a folder', '/srv/abuse-desk'],
  ])('refuses a store address with %s', (_why, u) => {
    const r = storeUrl.safeParse(u);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/postgres:\/\/USER@HOST\[:PORT\]\/DATABASE address, without the password/);
  });

  it('takes an operator name on one line, trimmed, up to 64 characters', () => {
    expect(operatorName.parse('  Dana Ops ')).toBe('Dana Ops');
    for (const bad of ['', '   ', 'dana\nops', 'tab\there', 'x'.repeat(65)]) expect(operatorName.safeParse(bad).success).toBe(false);
  });

  it('desk:set takes null for the system user again and no unknown field; claims:claim a take-over flag', () => {
    const set = deskChannels['desk:set'].request;
    expect(set.parse({ operator: null, store: null, clearStorePassword: true })).toEqual({ operator: null, store: null, clearStorePassword: true });
    expect(set.safeParse({ claimIdleMinutes: 0 }).success).toBe(false);
    expect(set.safeParse({ claimIdleMinutes: 7 * 24 * 60 + 1 }).success).toBe(false);
    expect(set.safeParse({ storePassword: '' }).success).toBe(false);
    expect(set.safeParse({ password: 'x' }).success).toBe(false);
    expect(deskChannels['claims:claim'].request.safeParse({ id: 3, takeOver: true }).success).toBe(true);
    expect(deskChannels['claims:claim'].request.safeParse({ id: -3 }).success).toBe(false);
  });
});
