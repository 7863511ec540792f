/**
 * The engine process entry. The same file runs as an Electron utility
 * process (messages on `process.parentPort`) and as a Node child process
 * from `child_process.fork` (messages on `process.send`/`'message'`), so
 * `serve` and the tests use exactly the engine the app uses.
 */
import type { FromEngine } from '../common/engine-protocol';
import { Engine } from './engine';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(msg: FromEngine): void {
  if (parentPort) parentPort.postMessage(msg);
  else process.send?.(msg);
}

const engine = new Engine({
  send,
  testHooks: process.env.ABUSE_DESK_ENGINE_TEST === '1',
  crash: () => process.exit(70),
});

if (parentPort) {
  parentPort.on('message', (e) => engine.handle(e.data));
} else if (process.send) {
  process.on('message', (m) => engine.handle(m));
  // The parent went away: nobody will read our results.
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C in a terminal reaches the whole process group; the parent decides
  // when the engine ends (it disconnects or kills), so a restart is not
  // mistaken for a crash while the server shuts down.
  process.on('SIGINT', () => undefined);
} else {
  process.stderr.write('abuse-desk engine: start me with child_process.fork or utilityProcess.fork\n');
  process.exit(2);
}
