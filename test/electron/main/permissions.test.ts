/** electron/main/permissions.ts: clipboard writes from our own origin only; no other permission for anyone. */
import { describe, expect, it } from 'vitest';
import { permissionDecision } from '../../../electron/main/permissions';

const OURS = ['app://abuse-desk'];

describe('permissionDecision', () => {
  it('grants clipboard writes to our page (request: a URL; check: an origin)', () => {
    expect(permissionDecision({ permission: 'clipboard-sanitized-write', requesting: 'app://abuse-desk/index.html' }, OURS)).toBe(true);
    expect(permissionDecision({ permission: 'clipboard-sanitized-write', requesting: 'app://abuse-desk' }, OURS)).toBe(true);
    expect(permissionDecision({ permission: 'clipboard-sanitized-write', requesting: 'app://abuse-desk', embedding: 'app://abuse-desk' }, OURS)).toBe(true);
    expect(permissionDecision({ permission: 'clipboard-sanitized-write', requesting: 'http://127.0.0.1:5173/', embedding: '' }, [...OURS, 'http://127.0.0.1:5173'])).toBe(true);
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a look-alike host', 'app://abuse-desk.evil.example/'],
    ['file:', 'file:///tmp/x.html'],
    ['an opaque origin', 'null'],
    ['data:', 'data:text/html,x'],
    ['nothing', undefined],
  ])('refuses clipboard writes from %s', (_what, requesting) => {
    expect(permissionDecision({ permission: 'clipboard-sanitized-write', requesting }, OURS)).toBe(false);
  });

  it('refuses our origin framed in another page', () => {
    expect(permissionDecision({ permission: 'clipboard-sanitized-write', requesting: 'app://abuse-desk', embedding: 'https://evil.example' }, OURS)).toBe(false);
  });

  it.each(['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'hid', 'fileSystem'])('refuses %s even to our origin', (permission) => {
    expect(permissionDecision({ permission, requesting: 'app://abuse-desk/index.html' }, OURS)).toBe(false);
  });
});
