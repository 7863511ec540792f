import { execFile, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cachedToolOutput } from './tool-cache';
import { requireTool } from './tools';

/**
 * A real NetFlow pipeline: softflowd replays a capture as NetFlow v9 or
 * IPFIX to an nfcapd listening on 127.0.0.1 (a free UDP port, a throw-away
 * directory), which writes the nfcapd file an ISP's abuse desk would hold.
 *
 * softflowd reading a file (-r) expires flows only at the end of it or when
 * more than max_flows (8192) are open: no idle timeout cuts a conversation,
 * but a conversation may still be exported as several records per direction,
 * so comparisons sum the records. -A milli exports absolute times (v9's
 * default, uptime-relative times, would be placed against the replay's clock).
 */

const run = promisify(execFile);

export interface NfcapdRun {
  /** The nfcapd files written (one unless the replay crossed nfcapd's hourly rotation). */
  files: string[];
  dir: string;
  /** Records softflowd says it exported, and flows nfcapd says it stored. */
  exported: number;
  stored: number;
}

let versions: string[] | undefined;

export function netflowVersions(): string[] {
  if (!versions) {
    for (const t of ['softflowd', 'nfcapd', 'nfdump']) requireTool(t);
    const first = (cmd: string, args: string[], re: RegExp): string => {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      return `${r.stdout}${r.stderr}`.split('\n').find((l) => re.test(l)) ?? `${cmd} (version unknown)`;
    };
    versions = [first('softflowd', ['-h'], /version/i), first('nfcapd', ['-V'], /Version/), first('nfdump', ['-V'], /Version/)];
  }
  return versions;
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.on('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** nfcapd 1.7 takes the directory with -w, 1.6 with -l. */
function dirFlag(): string {
  const r = spawnSync('nfcapd', ['-h'], { encoding: 'utf8' });
  return /^-w /m.test(`${r.stdout}${r.stderr}`) ? '-w' : '-l';
}

async function startNfcapd(dir: string, nfcapdArgs: string[]): Promise<{ port: number; stop: () => Promise<string> }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freeUdpPort();
    // -B: an 8 MB socket buffer, so softflowd's burst is queued on loopback while nfcapd is slow to read (a busy machine).
    const child = spawn('nfcapd', ['-b', '127.0.0.1', '-p', String(port), dirFlag(), dir, '-t', '3600', '-B', String(8 * 1024 * 1024), ...nfcapdArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const started = await new Promise<boolean>((resolve) => {
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (out.includes('Startup')) resolve(true);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('close', () => resolve(false));
    });
    if (started) {
      return {
        port,
        stop: async () => {
          child.kill('SIGTERM');
          await closed;
          return out;
        },
      };
    }
    // Another process took the port between our probe and nfcapd's bind: try another.
    if (attempt >= 4) throw new Error(`nfcapd did not start: ${out}`);
  }
}

/**
 * Replay `pcap` through softflowd (NetFlow `version` 9 or 10 = IPFIX) into a fresh nfcapd directory. UDP on
 * loopback can still drop datagrams on a loaded machine: a replay in which nfcapd stored fewer flows than
 * softflowd exported is run again (three tries), and the last one is returned for the caller to judge.
 */
export async function replayToNfcapd(pcap: string, version: 9 | 10, opts: { softflowd?: string[]; nfcapd?: string[] } = {}): Promise<NfcapdRun> {
  for (let attempt = 1; ; attempt++) {
    const r = await replayOnce(pcap, version, opts);
    if ((r.files.length === 1 && r.stored === r.exported) || attempt === 3) return r;
    await rm(r.dir, { recursive: true, force: true });
  }
}

async function replayOnce(pcap: string, version: 9 | 10, opts: { softflowd?: string[]; nfcapd?: string[] }): Promise<NfcapdRun> {
  netflowVersions();
  const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-nfcapd-'));
  const cap = await startNfcapd(dir, opts.nfcapd ?? []);
  let sf: string;
  let log: string;
  try {
    // -p: softflowd removes its pid file on exit; keep it off the system's.
    sf = (await run('softflowd', ['-r', pcap, '-n', `127.0.0.1:${cap.port}`, '-v', String(version), '-A', 'milli', '-p', join(dir, 'softflowd.pid'), ...(opts.softflowd ?? [])], { encoding: 'utf8' })).stdout;
    // Loopback datagrams are queued before softflowd returns; give nfcapd a moment to read them before the signal.
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    log = await cap.stop();
  }
  const files = (await readdir(dir)).filter((f) => /^nfcapd\.\d{12}$/.test(f)).sort().map((f) => join(dir, f));
  return {
    files, dir,
    exported: Number(/Flows exported: \d+ \((\d+) records\)/.exec(sf)?.[1] ?? NaN),
    stored: Number(/Flows: (\d+)/.exec(log)?.[1] ?? NaN),
  };
}

/**
 * The nfcapd file of an IPFIX replay of `pcap`, from the tool cache when the
 * same capture went through the same tool versions before; written to a fresh
 * temporary directory (remove it with `cleanup`).
 */
export async function cachedNfcapdFile(pcap: string, version: 9 | 10, opts: { softflowd?: string[]; nfcapd?: string[] } = {}): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const args = [['softflowd', '-v', String(version), '-A', 'milli', ...(opts.softflowd ?? [])], ['nfcapd', ...(opts.nfcapd ?? [])]];
  const b64 = await cachedToolOutput({ file: pcap, versions: netflowVersions(), args }, async () => {
    const r = await replayToNfcapd(pcap, version, opts);
    try {
      if (r.files.length !== 1) throw new Error(`expected one nfcapd file, got ${r.files.length}`);
      // Never cache a replay that lost datagrams: every later run would read the same hole.
      if (r.stored !== r.exported) throw new Error(`${pcap}: nfcapd stored ${r.stored} of the ${r.exported} flows softflowd exported (three tries)`);
      return (await readFile(r.files[0])).toString('base64');
    } finally {
      await rm(r.dir, { recursive: true, force: true });
    }
  });
  const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-nfcapd-'));
  const file = join(dir, 'nfcapd.201103181900');
  await writeFile(file, Buffer.from(b64, 'base64'));
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** nfdump's text export of `file` in `mode` (undefined: the default layout), times printed in UTC. */
export async function nfdumpText(file: string, mode?: string, extra: string[] = []): Promise<string> {
  const args = ['-r', file, ...(mode ? ['-o', mode] : []), ...extra];
  return (await run('nfdump', args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 26 })).stdout;
}
