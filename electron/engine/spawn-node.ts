/**
 * Spawn the engine as a Node child process (`serve` and the tests): the same
 * entry the app runs as a utility process, over fork's IPC channel.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EngineProcess, EngineSpawner } from '../../host/engine-host';

/**
 * The engine's TypeScript entry (run through tsx, like the CLI). Computed when
 * asked, not at load: this module may end up in a CommonJS bundle (through the
 * CLI's imports) where `import.meta.url` is empty, and merely loading it there
 * must not throw.
 */
export function engineSourceEntry(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
}

export interface NodeSpawnerOptions {
  /** Default: the TypeScript source entry. A bundled `engine.cjs` runs without tsx. */
  entry?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the engine's stderr goes (default: inherited). */
  stderr?: 'inherit' | 'ignore';
}

export function nodeEngineSpawner(opts: NodeSpawnerOptions = {}): EngineSpawner {
  const entry = opts.entry ?? engineSourceEntry();
  const execArgv = entry.endsWith('.ts')
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
  return (): EngineProcess => {
    const child = fork(entry, [], {
      execArgv,
      env: { ...process.env, ...opts.env },
      // Structured clone keeps Uint8Array and undefined intact, like utilityProcess.
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', opts.stderr ?? 'inherit', 'ipc'],
    });
    let exited = false;
    const exitListeners: Array<(info: { code: number | null; signal: string | null }) => void> = [];
    const onGone = (code: number | null, signal: string | null): void => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l({ code, signal });
    };
    child.on('exit', onGone);
    child.on('error', () => onGone(null, 'spawn-error'));
    return {
      pid: child.pid,
      postMessage: (msg) => {
        if (child.connected) child.send(msg);
      },
      onMessage: (l) => { child.on('message', l); },
      onExit: (l) => { exitListeners.push(l); },
      kill: () => { child.kill('SIGKILL'); },
    };
  };
}
