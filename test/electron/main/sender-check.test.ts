import { describe, expect, it } from 'vitest';
import { checkSender, originOf, type SenderPolicy } from '../../../electron/main/sender-check';

describe('sender check', () => {
  const policy: SenderPolicy = { webContentsIds: [3], origins: ['app://abuse-desk'] };
  const ok = { webContentsId: 3, frameUrl: 'app://abuse-desk/index.html', isMainFrame: true };

  it('accepts our window main frame on our origin', () => {
    expect(checkSender(ok, policy)).toEqual({ ok: true, value: undefined });
    expect(checkSender({ ...ok, frameUrl: 'APP://Abuse-Desk/deep/route?x#y' }, policy).ok).toBe(true);
  });

  it.each([
    ['another webContents', { ...ok, webContentsId: 4 }],
    ['a subframe', { ...ok, isMainFrame: false }],
    ['a destroyed frame', { ...ok, frameUrl: null }],
    ['a web page', { ...ok, frameUrl: 'https://evil.example/' }],
    ['a local file', { ...ok, frameUrl: 'file:///home/u/evil.html' }],
    ['a lookalike host', { ...ok, frameUrl: 'app://abuse-desk.evil/index.html' }],
    ['a userinfo trick', { ...ok, frameUrl: 'app://abuse-desk@evil/index.html' }],
    ['a data URL', { ...ok, frameUrl: 'data:text/html,<script>1</script>' }],
    ['about:blank', { ...ok, frameUrl: 'about:blank' }],
    ['garbage', { ...ok, frameUrl: 'not a url' }],
  ])('rejects %s', (_why, s) => {
    const r = checkSender(s, policy);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('accepts the dev server origin only when listed', () => {
    const dev = { ...ok, frameUrl: 'http://localhost:5173/' };
    expect(checkSender(dev, policy).ok).toBe(false);
    expect(checkSender(dev, { ...policy, origins: ['app://abuse-desk', 'http://localhost:5173'] }).ok).toBe(true);
    expect(originOf('http://localhost:5173/x')).toBe('http://localhost:5173');
  });
});
