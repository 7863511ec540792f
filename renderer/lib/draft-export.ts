/**
 * Getting the reply out of the app: the clipboard, a download (browser) and a
 * mailto: link. The .eml / .txt rendering itself is shared with main
 * (electron/common/draft-file.ts).
 */
import type { DraftFile } from '../../electron/common/draft-file';

/** A header-safe single address: nothing after a line break. */
function headerSafe(v: string): string {
  return v.replace(/[\r\n].*$/s, '').trim();
}

/** RFC 6068 mailto: URL; line breaks become %0D%0A, everything else percent-encoded. */
export function mailtoUrl(subject: string, body: string, to = ''): string {
  const enc = (s: string) => encodeURIComponent(s.replace(/\r\n?/g, '\n').replace(/\n/g, '\r\n'));
  const addr = to ? encodeURIComponent(headerSafe(to)).replace(/%40/g, '@') : '';
  return `mailto:${addr}?subject=${enc(subject)}&body=${enc(body)}`;
}

/** Browser download of a composed file through a Blob URL. Returns the file name. */
export function downloadFile(file: DraftFile): string {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file.fileName;
}

/** Copy to the clipboard; falls back to a hidden textarea where the async API is denied. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the legacy path
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.className = 'visually-hidden';
  const active = document.activeElement as HTMLElement | null;
  document.body.append(ta);
  ta.select();
  let done = false;
  try {
    done = document.execCommand('copy');
  } catch {
    done = false;
  }
  ta.remove();
  active?.focus?.();
  return done;
}
