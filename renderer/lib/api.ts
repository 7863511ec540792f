import { createHttpClient } from './http-client';
import type { AbuseDeskApi } from './types';

export { ApiError, call } from './call';

declare global {
  interface Window {
    /** The preload's bridge; absent when the page is served to a browser by `abuse-desk serve`. */
    abuseDesk?: AbuseDeskApi;
  }
}

let instance: AbuseDeskApi | undefined;

/** The Electron bridge when present, else the browser's HTTP/WebSocket client for `abuse-desk serve`. */
export function getApi(): AbuseDeskApi {
  if (!instance) instance = window.abuseDesk ?? createHttpClient();
  return instance;
}
