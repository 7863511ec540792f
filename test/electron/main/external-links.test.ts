/**
 * electron/main/external-links.ts: what the window may open outside the app
 * (https: and mailto: only) and that nothing opens before the operator
 * confirmed the exact URL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayUrl, externalUrlDecision, openExternalConfirmed, type ConfirmDeps } from '../../../electron/main/external-links';
import { mailtoUrl } from '../../../renderer/lib/draft-export';
import { casesDir } from '../../helpers/paths';

describe('externalUrlDecision', () => {
  it.each([
    'https://www.abuseipdb.com/check/198.51.100.7',
    'HTTPS://Example.COM/a b',
    'mailto:abuse@example.net',
    'mailto:?subject=Re%3A%20x&body=line%0D%0Aline',
  ])('allows %s', (url) => {
    const d = externalUrlDecision(url);
    expect(d.allowed).toBe(true);
    if (d.allowed) expect(d.url).toBe(new URL(url).href);
  });

  it.each([
    ['http:', 'http://example.com/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['smb:', 'smb://attacker.example/share'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['credentials', 'https://www.paypal.com@evil.example/'],
    ['not a URL', 'www.example.com'],
    ['nothing', ''],
  ])('refuses %s', (_what, url) => {
    expect(externalUrlDecision(url).allowed).toBe(false);
  });

  it('refuses non-strings and huge URLs', () => {
    expect(externalUrlDecision(undefined).allowed).toBe(false);
    expect(externalUrlDecision({ href: 'https://x.example' }).allowed).toBe(false);
    expect(externalUrlDecision(`https://x.example/${'a'.repeat(40_000)}`).allowed).toBe(false);
  });

  it("allows the reply's mailto: link for a real complaint", () => {
    const complaint = readFileSync(join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt'), 'utf8');
    const url = mailtoUrl('Re: your complaint', complaint, 'abuse@example.net');
    expect(externalUrlDecision(url)).toMatchObject({ allowed: true });
  });
});

describe('displayUrl', () => {
  it('shows control and bidi-override characters instead of obeying them, and cuts long URLs', () => {
    expect(displayUrl('https://x.example/\u202Etxt.exe')).toBe('https://x.example/\\u202etxt.exe');
    expect(displayUrl('mailto:a@b\u001b[2J')).toBe('mailto:a@b\\u001b[2J');
    const long = displayUrl(`https://x.example/${'a'.repeat(1000)}`, 100);
    expect(long).toMatch(/… \(\d+ more characters\)$/);
    expect(long.length).toBeLessThan(140);
  });
});

describe('openExternalConfirmed', () => {
  function fake(answer: number) {
    const asked: Array<Parameters<ConfirmDeps['ask']>[0]> = [];
    const opened: string[] = [];
    const deps: ConfirmDeps = {
      ask: async (o) => { asked.push(o); return answer; },
      open: async (u) => { opened.push(u); },
      log: () => undefined,
    };
    return { deps, asked, opened };
  }

  it('opens an https link only after the confirmation that shows it', async () => {
    const yes = fake(1);
    expect(await openExternalConfirmed('https://example.com/report?id=7', yes.deps)).toBe(true);
    expect(yes.asked).toHaveLength(1);
    expect(yes.asked[0].detail).toBe('https://example.com/report?id=7');
    expect(yes.asked[0].cancelId).toBe(0);
    expect(yes.asked[0].defaultId).toBe(0);
    expect(yes.opened).toEqual(['https://example.com/report?id=7']);
  });

  it('opens nothing when the operator cancels', async () => {
    const no = fake(0);
    expect(await openExternalConfirmed('mailto:abuse@example.net', no.deps)).toBe(false);
    expect(no.asked[0].message).toMatch(/mail program/);
    expect(no.opened).toEqual([]);
  });

  it('never asks about, nor opens, a refused scheme', async () => {
    const yes = fake(1);
    for (const u of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(await openExternalConfirmed(u, yes.deps)).toBe(false);
    }
    expect(yes.asked).toEqual([]);
    expect(yes.opened).toEqual([]);
  });
});
