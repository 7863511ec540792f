/**
 * Files the desktop window may name: only as handles that main handed out
 * for a file the operator chose in a dialog or dropped on the window, never
 * as a path (a compromised renderer could otherwise read any file).
 */

/** Private preload -> main channel: turn a dropped or picked File's path into a handle. Not in the contract, so `invoke` cannot reach it. */
export const FILE_HANDLE_CHANNEL = 'abuse-desk:file-handle';

/** `file:<32 hex>`: what `EvidenceRef.ref` holds in the desktop app. */
export const FILE_HANDLE = /^file:[0-9a-f]{32}$/;
