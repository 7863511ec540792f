/**
 * The contract over HTTP for the browser, against `abuse-desk serve`
 * (host/serve/server.ts): calls are `POST /api/<channel>` with JSON, events
 * arrive as Server-Sent Events, evidence is uploaded. Implements the same
 * AbuseDeskApi the Electron preload exposes as `window.abuseDesk`.
 *
 * The access token travels in the HttpOnly cookie the server set when the
 * printed URL was first opened (it then redirected to the URL without the
 * token, so the token is in neither the address bar nor the history); a token
 * given explicitly (tests, the URL in older links) also goes as a header.
 */
import type { AbuseDeskApi, ChannelName, EvidenceRef, RequestOf, ResponseOf, Result } from '../../electron/common/contract';
import { EVENT_NAMES, isEventName, type EventArgs, type EventMessage, type EventName } from '../../electron/common/events';
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH, HTTP_UPLOAD_PATH, TOKEN_HEADER, TOKEN_PARAM } from '../../electron/common/transport';

export interface HttpClientOptions {
  /** Server origin; default the page's own. */
  baseUrl?: string;
  /** Default: the page URL's `token` parameter. */
  token?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

type Listener = (...args: unknown[]) => void;

function transportError<T>(message: string): Result<T> {
  return { ok: false, error: { code: 'io_error', message } };
}

async function readResult<T>(res: Response): Promise<Result<T>> {
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body = (await res.json()) as Result<T>;
    if (body && typeof body === 'object' && 'ok' in body) return body;
  }
  if (res.status === 403) return { ok: false, error: { code: 'forbidden', message: 'the server refused the access token: open the URL `abuse-desk serve` printed' } };
  return transportError(`HTTP ${res.status} ${res.statusText}`);
}

export function createHttpClient(opts: HttpClientOptions = {}): AbuseDeskApi {
  const base = (opts.baseUrl ?? window.location.origin).replace(/\/+$/, '');
  const token = opts.token ?? new URLSearchParams(window.location.search).get(TOKEN_PARAM) ?? undefined;
  const doFetch = opts.fetch ?? window.fetch.bind(window);
  const ES = opts.EventSource ?? window.EventSource;
  const headers: Record<string, string> = token ? { [TOKEN_HEADER]: token } : {};
  const withToken = (path: string): string => (token ? `${base}${path}${path.includes('?') ? '&' : '?'}${TOKEN_PARAM}=${encodeURIComponent(token)}` : `${base}${path}`);

  const listeners = new Map<EventName, Set<Listener>>(EVENT_NAMES.map((e) => [e, new Set()]));
  let source: EventSource | undefined;

  function ensureEvents(): void {
    if (source) return;
    // EventSource reconnects by itself after a dropped connection.
    source = new ES(withToken(HTTP_EVENTS_PATH), { withCredentials: false });
    source.onmessage = (e: MessageEvent<string>) => {
      let msg: EventMessage;
      try {
        msg = JSON.parse(e.data) as EventMessage;
      } catch {
        return;
      }
      if (!msg || !isEventName(msg.event) || !Array.isArray(msg.args)) return;
      for (const l of listeners.get(msg.event) ?? []) {
        try {
          l(...msg.args);
        } catch (err) {
          console.error(err);
        }
      }
    };
  }

  function subscribe<E extends EventName>(event: E) {
    return (listener: (...args: EventArgs<E>) => void): (() => void) => {
      const set = listeners.get(event)!;
      set.add(listener as Listener);
      ensureEvents();
      return () => {
        set.delete(listener as Listener);
        if ([...listeners.values()].every((s) => s.size === 0)) {
          source?.close();
          source = undefined;
        }
      };
    };
  }

  async function invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    let res: Response;
    try {
      res = await doFetch(`${base}${HTTP_API_PREFIX}${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(request ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      return transportError(`cannot reach the Abuse Desk server: ${(e as Error).message}`);
    }
    try {
      return await readResult<ResponseOf<C>>(res);
    } catch (e) {
      return transportError(`bad reply from the server: ${(e as Error).message}`);
    }
  }

  /** Upload with XMLHttpRequest: fetch has no upload progress. */
  function evidenceFromFile(file: File, onUploadProgress?: (bytesDone: number, bytesTotal: number) => void): Promise<Result<EvidenceRef>> {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}${HTTP_UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`);
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.responseType = 'text';
      if (onUploadProgress) xhr.upload.onprogress = (e) => onUploadProgress(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onload = () => {
        try {
          const body = JSON.parse(xhr.responseText) as Result<EvidenceRef>;
          if (body && typeof body === 'object' && 'ok' in body) { resolve(body); return; }
        } catch {
          // not JSON: fall through
        }
        resolve(xhr.status === 403
          ? { ok: false, error: { code: 'forbidden', message: 'the server refused the access token' } }
          : xhr.status === 413 ? { ok: false, error: { code: 'too_large', message: `${file.name} is larger than the server accepts` } }
            : transportError(`upload failed: HTTP ${xhr.status}`));
      };
      xhr.onerror = () => resolve(transportError(`upload of ${file.name} failed: the connection was lost`));
      xhr.onabort = () => resolve({ ok: false, error: { code: 'cancelled', message: 'upload cancelled' } });
      xhr.send(file);
    });
  }

  return {
    host: 'browser',
    invoke,
    evidenceFromFile,
    ...(Object.fromEntries(EVENT_NAMES.map((e) => [e, subscribe(e)])) as { [E in EventName]: AbuseDeskApi[E] }),
  };
}
