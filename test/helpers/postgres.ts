/**
 * A throw-away PostgreSQL cluster for tests: Debian's binaries
 * (/usr/lib/postgresql/<major>/bin), `initdb` into a temporary folder,
 * `pg_ctl start` listening on 127.0.0.1 at a free port with its socket in that
 * folder, one database per call of `createDatabase`, and everything stopped
 * and removed by `stop`. initdb refuses to run as root, so as root the cluster
 * belongs to the `postgres` user (runuser).
 *
 * Tests that need it check `postgresSkip` first and name the reason in their
 * title when it is set ("(skipped: …)", see test/reporters/run-summary.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest installed major version, or null. */
export function postgresBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const majors = readdirSync(PG_ROOT).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  for (const m of majors) if (existsSync(join(PG_ROOT, m, 'bin', 'initdb'))) return join(PG_ROOT, m, 'bin');
  return null;
}

function asRootNeedsUser(): boolean {
  return process.getuid?.() === 0;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export const postgresSkip: string | undefined = (() => {
  if (!postgresBin()) return `no PostgreSQL under ${PG_ROOT} (apt-get install postgresql)`;
  if (asRootNeedsUser() && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run initdb as';
  return undefined;
})();

/** A describe title carrying the skip reason when PostgreSQL is missing. */
export const pgTitle = (title: string): string => (postgresSkip ? `${title} (skipped: ${postgresSkip})` : title);

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

export interface PgCluster {
  readonly port: number;
  readonly dir: string;
  /** Create an empty database and return its URL (postgres://desk@127.0.0.1:PORT/NAME). */
  createDatabase(name?: string): string;
  /** Stop the server and remove the folder. Safe to call twice. */
  stop(): void;
}

let counter = 0;

/** Start a cluster (a few seconds). */
export async function startPostgres(): Promise<PgCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error(postgresSkip);
  const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-pg-'));
  const data = join(dir, 'data');
  const asUser = asRootNeedsUser() ? 'postgres' : undefined;
  if (asUser) {
    const uid = Number(execFileSync('id', ['-u', asUser]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', asUser]).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asUser ? ['runuser', ['-u', asUser, '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').slice(-2000) : '';
      throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}\n${log}`);
    }
  };
  const superuser = 'desk';
  run('initdb', ['-D', data, '-A', 'trust', '-U', superuser, '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // fsync off: the cluster is thrown away; a test never survives a power cut.
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start',
    '-o', `-k ${dir} -h 127.0.0.1 -p ${port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`]);
  let stopped = false;
  return {
    port,
    dir,
    createDatabase(name = `t${process.pid}_${++counter}`) {
      run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', superuser, name]);
      return `postgres://${superuser}@127.0.0.1:${port}/${name}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The OS user the tests run as (the default operator name). */
export const currentUser = (): string => userInfo().username;
