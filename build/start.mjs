// `npm start`: build what is needed, then open the desktop app when the
// Electron binary is installed, else run `abuse-desk serve` and open (or
// print) its URL. Extra arguments go to serve: `npm start -- --port 8080`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(script) {
  const r = spawnSync(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`npm start: "npm run ${script}" failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

/** Run a child in the foreground; its exit is ours, and Ctrl-C goes to it. */
function foreground(cmd, args, env = process.env) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const binary = electronBinary(root);
if (existsSync(join(root, 'renderer', 'vite.config.ts'))) run('build:renderer');

if (binary) {
  run('build:electron');
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set by some tools; it would start Electron as plain Node
  foreground(binary, [root, ...process.argv.slice(2)], env);
} else {
  console.log('Electron is not installed here (no binary under node_modules/electron/dist), so Abuse Desk starts in the browser instead: abuse-desk serve.');
  foreground(process.execPath, [join(root, 'bin', 'abuse-desk.mjs'), 'serve', '--open', ...process.argv.slice(2)]);
}
