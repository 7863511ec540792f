import type { AppState } from './app.svelte';

/**
 * Run one change on the Case page: a success message goes to a toast and to
 * screen readers, a failure to the store-problem report (the typed input
 * stays on screen because the state keeps it).
 */
export async function runCaseAction<T>(app: AppState, action: string, fn: () => Promise<T>, done?: (v: T) => string | null): Promise<void> {
  try {
    const v = await fn();
    const msg = done?.(v);
    if (msg) {
      app.toast(msg, 'success');
      app.announce(msg);
    }
  } catch (e) {
    app.reportStoreError(e, action);
  }
}
