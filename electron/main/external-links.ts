/**
 * Links the window asks to open outside the app (`window.open`, a link with
 * target=_blank): only https: and mailto:, and only after the operator saw
 * the exact URL in a confirmation and said yes. A complaint is attacker
 * text; a link in it must never open a file:, smb:, custom-scheme or plain
 * http: URL behind the operator's back. No Electron import: the dialog and
 * the shell are injected.
 */

export type ExternalUrlDecision = { allowed: true; url: string } | { allowed: false; why: string };

const MAX_URL_CHARS = 32_000;

/** https: or mailto:, parsed and re-serialised (what is shown is what is opened). */
export function externalUrlDecision(raw: unknown): ExternalUrlDecision {
  if (typeof raw !== 'string' || !raw) return { allowed: false, why: 'no URL' };
  if (raw.length > MAX_URL_CHARS) return { allowed: false, why: 'the URL is too long' };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { allowed: false, why: 'not a URL' };
  }
  if (u.protocol === 'https:') {
    if (!u.hostname) return { allowed: false, why: 'no host' };
    // user:pass@host is the classic way to make a link look like another site.
    if (u.username || u.password) return { allowed: false, why: 'a URL with a user name or password' };
    return { allowed: true, url: u.href };
  }
  if (u.protocol === 'mailto:') return { allowed: true, url: u.href };
  return { allowed: false, why: `${u.protocol} links are not opened (only https: and mailto:)` };
}

/** The URL as the confirmation shows it: control and bidi-override characters made visible, long ones cut. */
export function displayUrl(url: string, max = 600): string {
  const shown = url.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown.length > max ? `${shown.slice(0, max)}… (${shown.length - max} more characters)` : shown;
}

export interface ConfirmDeps {
  /** Shows the question; resolves with the index of the button pressed. */
  ask(opts: { type: 'question'; title: string; message: string; detail: string; buttons: string[]; defaultId: number; cancelId: number; noLink: boolean }): Promise<number>;
  open(url: string): Promise<void>;
  log?(line: string): void;
}

/** Open an allowed URL once the operator confirmed it; returns whether it was opened. */
export async function openExternalConfirmed(raw: unknown, deps: ConfirmDeps): Promise<boolean> {
  const d = externalUrlDecision(raw);
  if (!d.allowed) {
    deps.log?.(`external link refused: ${d.why}`);
    return false;
  }
  const mail = d.url.startsWith('mailto:');
  const button = await deps.ask({
    type: 'question',
    title: mail ? 'Open in your mail program?' : 'Open in your browser?',
    message: mail ? 'Open this address in your mail program?' : 'Open this link in your browser?',
    detail: displayUrl(d.url),
    buttons: ['Cancel', mail ? 'Open mail program' : 'Open in browser'],
    // Enter and Escape both cancel: opening takes a deliberate click.
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  if (button !== 1) return false;
  await deps.open(d.url);
  return true;
}
