/** The engine as an Electron utility process (the app's spawner for EngineHost). */
import { utilityProcess } from 'electron';
import type { EngineProcess, EngineSpawner } from '../../host/engine-host';

export function utilityEngineSpawner(entry: string): EngineSpawner {
  return (): EngineProcess => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Abuse Desk engine', stdio: ['ignore', 'ignore', 'inherit'] });
    let exited = false;
    const exitListeners: Array<(info: { code: number | null; signal: string | null }) => void> = [];
    child.on('exit', (code) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l({ code, signal: null });
    });
    return {
      get pid() { return child.pid; },
      postMessage: (msg) => { if (!exited) child.postMessage(msg); },
      onMessage: (l) => { child.on('message', l); },
      onExit: (l) => { exitListeners.push(l); },
      kill: () => { child.kill(); },
    };
  };
}
