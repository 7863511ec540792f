/**
 * The preload (sandboxed, bundled as CommonJS): exposes the contract as
 * `window.abuseDesk` and nothing else. Its shape comes from the contract's
 * tables; main validates every call again, so this side only forwards.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { AbuseDeskApi, ChannelName, EvidenceRef, Result } from '../common/contract';
import { isKnownChannel } from '../common/channel-names';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, isEventName, type EventArgs, type EventMessage, type EventName } from '../common/events';
import { FILE_HANDLE_CHANNEL } from '../common/file-handles';

type Listener = (...args: unknown[]) => void;
const listeners = new Map<EventName, Set<Listener>>(EVENT_NAMES.map((e) => [e, new Set()]));

ipcRenderer.on(IPC_EVENT_CHANNEL, (_e, msg: EventMessage) => {
  if (!msg || !isEventName(msg.event) || !Array.isArray(msg.args)) return;
  for (const l of listeners.get(msg.event) ?? []) {
    try {
      l(...msg.args);
    } catch (e) {
      console.error(e);
    }
  }
});

function subscribe<E extends EventName>(event: E) {
  return (listener: (...args: EventArgs<E>) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError(`${event} needs a function`);
    const set = listeners.get(event)!;
    set.add(listener as Listener);
    return () => { set.delete(listener as Listener); };
  };
}

const api = {
  host: 'electron',
  async invoke(channel: ChannelName, request: unknown): Promise<Result<unknown>> {
    if (!isKnownChannel(channel)) return { ok: false, error: { code: 'bad_request', message: `unknown channel ${String(channel).slice(0, 80)}` } };
    try {
      return (await ipcRenderer.invoke(channel, request)) as Result<unknown>;
    } catch (e) {
      // Only a transport failure lands here (main answers every call with a Result).
      return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
    }
  },
  async evidenceFromFile(file: File): Promise<Result<EvidenceRef>> {
    // The renderer hands over a File the operator dropped or picked; main turns its path into a
    // handle, and the handle is all the page gets (it can name no other file).
    const path = webUtils.getPathForFile(file);
    if (!path) return { ok: false, error: { code: 'bad_request', message: `${file.name} is not a file on disk` } };
    try {
      return (await ipcRenderer.invoke(FILE_HANDLE_CHANNEL, path)) as Result<EvidenceRef>;
    } catch (e) {
      return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
    }
  },
  ...Object.fromEntries(EVENT_NAMES.map((e) => [e, subscribe(e)])),
} as unknown as AbuseDeskApi;

contextBridge.exposeInMainWorld('abuseDesk', api);
