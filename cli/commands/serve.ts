import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeEngineSpawner } from '../../electron/engine/spawn-node';
import { engineEntry, packageRoot } from '../bundle-paths';
import { openBrowser } from '../../host/serve/open-browser';
import { startServer } from '../../host/serve/server';
import { storeFlag } from '../store-option';
import { resolveDataDir } from '../data-dir';
import { ensureRenderer } from '../serve/renderer-build';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `abuse-desk serve [--port N] [--data-dir DIR] [--store postgres://USER@HOST[:PORT]/DB] [--open]

Runs Abuse Desk in the browser: serves the built renderer (dist/renderer,
built first when it is missing and vite is installed) and the app's API on
127.0.0.1 only, with the analysis engine in a child process.
Prints the URL to open; it carries a random access token, and every request
without it is refused (403). Evidence is uploaded into DIR/uploads and
deleted when the server stops.
  --port N        listen on port N (default: a free port)
  --data-dir DIR  case store, settings and uploads (default: $ABUSE_DESK_DATA_DIR, else $XDG_DATA_HOME/abuse-desk or ~/.local/share/abuse-desk)
  --store URL     the desk's shared case store for this run (PostgreSQL; the password in PGPASSWORD
                  or ~/.pgpass rather than in the URL), over the one chosen in Settings; default:
                  $ABUSE_DESK_STORE, else Settings' choice, else DIR's own
  --open          open the URL in a browser when one is available
Stop with Ctrl-C.`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      store: { type: 'string' },
      open: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${HELP}\n`); return 0; }
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d{1,5}$/.test(values.port) || port > 65535) throw new UsageError(`--port: "${values.port}" is not a port number`);
  }
  const dataDir = resolveDataDir(values['data-dir']);
  const store = storeFlag(values);
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  // A fresh checkout has the CLI bundle (postinstall) but no renderer build: make one rather than serve a placeholder.
  await ensureRenderer(root, (line) => process.stderr.write(`${line}\n`));
  let server;
  try {
    server = await startServer({
      dataDir,
      rendererDir: join(root, 'dist', 'renderer'),
      spawnEngine: nodeEngineSpawner({ entry: engineEntry() }),
      port,
      appVersion: pkg.version,
      store,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (e) {
    process.stderr.write(`abuse-desk serve: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}\n`);
    return 2;
  }
  const opened = values.open && openBrowser(server.openUrl);
  process.stdout.write(`Abuse Desk is serving on ${server.openUrl}\n${opened ? 'Opened it in your browser. ' : 'Open that URL in a browser. '}Data in ${dataDir}. Ctrl-C stops.\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done, done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
