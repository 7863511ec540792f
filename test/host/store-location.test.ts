/**
 * Where an app's store is (host/store-location.ts): the --store flag for the
 * run, else the shared database saved in the desk settings with the stored
 * password put into the URL only to open it, else the data folder; what is
 * shown never carries the password.
 */
import { describe, expect, it } from 'vitest';
import { storeLocation, withPassword, withoutPassword } from '../../host/store-location';

describe('store location', () => {
  it('takes the flag, else the saved database with the stored password, else the data folder; shows no password', () => {
    const saved = 'postgres://desk@db.example.net:5433/abuse';
    expect(storeLocation({ dataDir: '/d', flag: 'postgres://u:pw@h/db', saved, password: () => 'x' }))
      .toEqual({ open: 'postgres://u:pw@h/db', shown: 'postgres://u@h/db', kind: 'postgres', from: 'flag' });
    expect(storeLocation({ dataDir: '/d', saved, password: () => 'p@ss:/w%rd' }))
      .toEqual({ open: 'postgres://desk:p%40ss%3A%2Fw%25rd@db.example.net:5433/abuse', shown: saved, kind: 'postgres', from: 'settings' });
    expect(decodeURIComponent(new URL(withPassword(saved, 'p@ss:/w%rd')).password)).toBe('p@ss:/w%rd');
    expect(storeLocation({ dataDir: '/d', saved, password: () => null }).open).toBe(saved); // PGPASSWORD or ~/.pgpass then
    expect(storeLocation({ dataDir: '/d', saved: null })).toEqual({ open: '/d', shown: '/d', kind: 'sqlite', from: 'data-dir' });
    expect(withoutPassword('postgresql://a:b@h:1/x?sslmode=require')).toBe('postgresql://a@h:1/x?sslmode=require');
  });
});
