import type { AppState } from './app.svelte';
import type { StoreChanged } from '../../electron/common/events';

/** How long changes are gathered before one refresh: a burst (an import of many messages) costs one reload, well within a second. */
export const LIVE_REFRESH_MS = 250;

/**
 * Keep the window in step with the desk's shared store: a change committed
 * by any app (a colleague's import, claim, reply, close; `onStoreChanged`)
 * reloads the queue and history that were shown, the sidebar's latest cases,
 * and the open case when it is the one changed (its draft editor keeps
 * unsaved edits: CasePageState.setDetail). Returns the function that stops.
 */
export function watchStore(app: AppState, delayMs = LIVE_REFRESH_MS): () => void {
  if (typeof app.api.onStoreChanged !== 'function') return () => undefined;
  const touched = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    timer = undefined;
    const cases = [...touched];
    touched.clear();
    if (app.queue.loaded) void app.queue.load();
    if (app.history.loaded) void app.history.load();
    void app.refreshRecent();
    if (app.casePage.id !== null && cases.includes(app.casePage.id)) void app.casePage.reload();
  };
  const off = app.api.onStoreChanged((c: StoreChanged) => {
    touched.add(c.caseId);
    timer ??= setTimeout(flush, delayMs);
  });
  return () => {
    off();
    clearTimeout(timer);
  };
}
