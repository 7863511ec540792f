/**
 * Who may call the contract (VS Code's `validatedIpcMain`): only the main
 * frame of our own window, showing our own origin. A pure function of what
 * Electron tells us about the sender, so it is tested without Electron.
 */
import type { Result } from '../common/result';

export interface SenderInfo {
  /** `event.sender.id` */
  webContentsId: number;
  /** `event.senderFrame?.url`; null or undefined when the frame is gone. */
  frameUrl: string | null | undefined;
  /** `event.senderFrame === event.sender.mainFrame` */
  isMainFrame: boolean;
}

export interface SenderPolicy {
  /** Our windows' webContents ids. */
  webContentsIds: Iterable<number>;
  /** Allowed origins as `scheme://host[:port]`, e.g. `app://abuse-desk`. */
  origins: Iterable<string>;
}

/**
 * `scheme://host[:port]` of a URL, also for custom schemes (WHATWG gives
 * non-special schemes the opaque origin "null", which would match nothing
 * useful, or everything if compared carelessly).
 */
export function originOf(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (!u.host) return undefined; // file:, data:, about:blank, blob: have no host of their own
  return `${u.protocol}//${u.host}`.toLowerCase();
}

export function checkSender(sender: SenderInfo, policy: SenderPolicy): Result<void> {
  const deny = (why: string): Result<void> => ({ ok: false, error: { code: 'forbidden', message: `IPC from an untrusted sender: ${why}` } });
  if (![...policy.webContentsIds].includes(sender.webContentsId)) return deny('not our window');
  if (!sender.isMainFrame) return deny('not the main frame');
  if (!sender.frameUrl) return deny('no frame URL');
  const origin = originOf(sender.frameUrl);
  if (!origin) return deny(`no origin in ${sender.frameUrl.slice(0, 100)}`);
  const allowed = [...policy.origins].map((o) => o.toLowerCase().replace(/\/+$/, ''));
  if (!allowed.includes(origin)) return deny(`origin ${origin}`);
  return { ok: true, value: undefined };
}
