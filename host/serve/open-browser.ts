/** Open a URL in the user's browser when there is one; say whether we tried. */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The command that would open a URL here, or undefined (no display, no opener). */
export function browserCommand(): { cmd: string; args: string[] } | undefined {
  if (process.platform === 'darwin') return { cmd: 'open', args: [] };
  if (process.platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""'] };
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return undefined;
  for (const c of ['xdg-open', 'chromium', 'chromium-browser', 'google-chrome', 'firefox']) {
    const p = onPath(c);
    if (p) return { cmd: p, args: [] };
  }
  return undefined;
}

export function openBrowser(url: string): boolean {
  const b = browserCommand();
  if (!b) return false;
  try {
    const child = spawn(b.cmd, [...b.args, url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
