import { ApiError, call } from './call';
import type { AppState } from './app.svelte';
import { renderDraftFile, type DraftFile } from '../../electron/common/draft-file';
import { copyText, downloadFile, mailtoUrl } from './draft-export';
import type { DraftFormat } from './types';

/** The reply's recipient: the complaint's reporter, when the engine found one. */
export function recipient(app: AppState): string | undefined {
  return app.kase.result?.complaint.reporter.address;
}

/**
 * Store the editor's draft as a new version of the saved case (nothing when
 * unchanged). A failure is reported; the text stays in the editor.
 */
export async function persistDraft(app: AppState, announce = false): Promise<boolean> {
  const k = app.kase;
  if (!k.saved) return false;
  try {
    const v = await k.storeDraft();
    if (announce) {
      const text = v ? `Draft saved as version ${v.version} of case ${k.saved.caseId}` : 'The draft is already saved';
      app.toast(text, 'success');
      app.announce(`${text}.`);
    }
    return true;
  } catch (e) {
    app.reportStoreError(e, 'save the draft');
    return false;
  }
}

/** After the reply left the app: store the version and ask whether it was sent. */
async function afterExport(app: AppState, how: 'copied' | 'mailto' | 'saved'): Promise<void> {
  if (!app.kase.saved) return;
  if (await persistDraft(app)) app.kase.sendPrompt = how;
}

/** The operator confirms the reply went out: the stored version is marked sent (the case becomes replied). */
export async function markSent(app: AppState): Promise<void> {
  const k = app.kase;
  if (!k.saved) return;
  try {
    const v = await k.markSent();
    k.sendPrompt = null;
    if (v) {
      app.toast(`Version ${v.version} marked as sent: case ${k.saved.caseId} is replied`, 'success');
      app.announce('Marked as sent.');
    }
  } catch (e) {
    app.reportStoreError(e, 'mark the reply as sent');
  }
}

export async function copyReply(app: AppState): Promise<void> {
  if (!app.kase.result) return;
  const ok = await copyText(app.kase.body);
  if (ok) app.toast('Reply copied to the clipboard', 'success');
  else app.toast('Could not copy: the clipboard is not available here', 'error');
  app.announce(ok ? 'Reply copied to the clipboard.' : 'Copy failed.');
  if (ok) await afterExport(app, 'copied');
}

/**
 * Electron: draft:save (the main process's save dialog). Browser: the page
 * downloads the file the host composed from a Blob URL; a host that answers
 * `unsupported` gets the download too.
 */
export async function saveDraft(app: AppState, format: DraftFormat): Promise<void> {
  const k = app.kase;
  if (!k.result) return;
  const to = recipient(app);
  const caseId = k.saved?.caseId;
  const req = { format, subject: k.subject, body: k.body, ...(to ? { to } : {}), ...(caseId !== undefined ? { caseId } : {}) };
  if (app.host === 'electron') {
    try {
      const r = await call(app.api, 'draft:save', req);
      if (r.saved) {
        app.toast(r.path ? `Saved to ${r.path}` : `Saved the reply as .${format}`, 'success');
        await afterExport(app, 'saved');
      }
      return;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'unsupported')) {
        app.toast(`Could not save: ${(e as Error).message}`, 'error', 6000);
        return;
      }
    }
  }
  // The host composes the message (From, threading, signature, the complaint quoted); a host
  // without the reply service gets the plain rendering.
  let file: DraftFile;
  try {
    const { fileName, mime, content, warnings } = await call(app.api, 'reply:compose', req);
    file = { fileName, mime, content };
    if (warnings.length) app.toast(`Saved, but ${warnings.join('; ')}`, 'info', 8000);
  } catch {
    file = renderDraftFile(req);
  }
  const name = downloadFile(file);
  app.toast(`Downloaded ${name}`, 'success');
  await afterExport(app, 'saved');
}

/** Electron opens mailto: through its window-open handler (shell.openExternal); a browser navigates to it. */
export function openInMailClient(app: AppState): void {
  const k = app.kase;
  if (!k.result) return;
  void afterExport(app, 'mailto');
  const url = mailtoUrl(k.subject, k.body, recipient(app) ?? '');
  if (url.length > 32_000) app.toast('The reply is long: your mail client may cut it. Prefer "Save .eml".', 'info', 6000);
  if (app.host === 'electron') window.open(url, '_blank', 'noopener');
  else window.location.href = url;
}
