/**
 * "Open in Wireshark at this packet" for the desktop app: `wireshark -r FILE
 * -g N` started with an argument array (never a shell, so no file name can
 * become a command), detached from the app. Found on PATH once per session.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export interface WiresharkLauncher {
  /** True when a `wireshark` executable is on PATH. */
  available(): Promise<boolean>;
  /** Start Wireshark on the file, at the packet; resolves once it was started. */
  open(path: string, packet: number): Promise<void>;
}

async function onPath(name: string, pathVar: string): Promise<string | null> {
  for (const dir of pathVar.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export function wiresharkLauncher(opts: { name?: string; pathVar?: string; log?: (line: string) => void } = {}): WiresharkLauncher {
  let found: Promise<string | null> | undefined;
  const find = () => (found ??= onPath(opts.name ?? 'wireshark', opts.pathVar ?? process.env.PATH ?? ''));
  return {
    async available() {
      return (await find()) !== null;
    },
    async open(path, packet) {
      const exe = await find();
      if (!exe) throw new Error('Wireshark is not installed (no wireshark on PATH)');
      await new Promise<void>((resolve, reject) => {
        const child = execFile(exe, ['-r', path, '-g', String(packet)], { windowsHide: false }, (e) => {
          // Wireshark runs until the operator closes it; its exit status is only worth a log line.
          if (e) opts.log?.(`wireshark: ${e.message}`);
        });
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
        child.once('error', reject);
      });
    },
  };
}
