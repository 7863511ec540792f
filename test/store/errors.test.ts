import { describe, expect, it } from 'vitest';
import { StoreError, toStoreError } from '../../store/errors';

describe('store errors an operator can act on', () => {
  it('maps SQLite and Node failures to codes, naming where, and saying the work on screen is kept', () => {
    const cases: Array<[unknown, string]> = [
      [Object.assign(new Error('SQLITE_READONLY: attempt to write a readonly database'), { code: 'SQLITE_READONLY' }), 'read_only'],
      [Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }), 'read_only'],
      [Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }), 'disk_full'],
      [Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }), 'disk_full'],
      [Object.assign(new Error('SQLITE_CORRUPT: database disk image is malformed'), { code: 'SQLITE_CORRUPT' }), 'corrupt'],
      [Object.assign(new Error('SQLITE_NOTADB: file is not a database'), { code: 'SQLITE_NOTADB' }), 'corrupt'],
      [Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }), 'busy'],
      [new Error('something else'), 'io'],
    ];
    for (const [e, code] of cases) {
      const s = toStoreError(e, '/srv/desk');
      expect(s.code, String(e)).toBe(code);
      expect(s.cause).toBe(e);
      expect(s).toBeInstanceOf(StoreError);
    }
    expect(toStoreError(cases[0][0], '/srv/desk').message).toMatch(/^The case store in \/srv\/desk is read-only .*Nothing was lost from the screen/);
  });

  it('passes a StoreError through and turns into plain data for IPC', () => {
    const e = new StoreError('not_found', 'No case 7.');
    expect(toStoreError(e, 'x')).toBe(e);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: 'not_found', message: 'No case 7.' });
    expect(e.name).toBe('StoreError');
  });
});
