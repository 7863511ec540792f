import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cachedToolOutput, keyArgs } from './tool-cache';
import { requireTool } from './tools';

/**
 * argus (flow meter) and ra (its record printer) as the reference for TCP
 * connection state. argus writes its records to a temporary file that ra
 * prints (argus 3.0.8 writing to a pipe loses the last record at exit); the
 * answer is cached by file hash, both tools' versions and both argument
 * lists (tool-cache.ts). argus sleeps about a second before it exits, so
 * callers run several captures at once.
 */

export interface ArgusRecord {
  /** First and last packet, microseconds since the epoch (ra -u -p 6). */
  stime: number;
  ltime: number;
  proto: string;
  saddr: string;
  sport?: number;
  daddr: string;
  dport?: number;
  /** ra's state: REQ, ACC, CON, FIN, CLO, RST, INT, TIM for TCP; CON, INT for UDP; ICMP type names. */
  state: string;
  spkts: number;
  dpkts: number;
  sbytes: number;
  dbytes: number;
  /** Direction marker: "->", "<->", "<-", "?>", "<?>", ... */
  dir: string;
}

let versions: string[] | undefined;

/** First lines of `argus -h` and `ra -h`; throws the install hint when either is missing. */
export function argusVersions(): string[] {
  if (!versions) {
    requireTool('argus');
    requireTool('ra');
    versions = ['argus', 'ra'].map((tool) => {
      const r = spawnSync(tool, ['-h'], { encoding: 'utf8' });
      return `${r.stdout}${r.stderr}`.split('\n').find((l) => /Version/.test(l)) ?? `${tool} (version unknown)`;
    });
  }
  return versions;
}

const FIELDS = ['stime', 'ltime', 'saddr', 'sport', 'daddr', 'dport', 'proto', 'state', 'spkts', 'dpkts', 'sbytes', 'dbytes', 'dir'];

/**
 * argus's flow records for a capture. `-X` ignores /etc/argus.conf and
 * /etc/ra.conf (the Debian argus.conf sets a 5 s status interval, which would
 * cut every longer connection into several records); `-S 86400` makes the
 * status interval longer than any corpus capture, so a record ends only when
 * argus ends the connection (reset, close, idle timeout, a new SYN).
 */
export async function argusRecords(file: string): Promise<ArgusRecord[]> {
  const argusArgs = ['-X', '-S', '86400', '-r', file, '-w', 'OUT'];
  const raArgs = ['-X', '-n', '-u', '-p', '6', '-c', ',', '-r', 'OUT', '-s', ...FIELDS];
  const out = await cachedToolOutput(
    { file, versions: argusVersions(), args: [keyArgs(argusArgs, file), raArgs] },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-argus-'));
      const records = join(dir, 'out.argus');
      const at = (args: string[]): string[] => args.map((a) => (a === 'OUT' ? records : a));
      try {
        await run('argus', at(argusArgs));
        return (await run('ra', at(raArgs), { encoding: 'utf8', maxBuffer: 1 << 28 })).stdout;
      } catch (e) {
        // ra exits 1 when no record matched (a capture without IP traffic): an empty answer, not a failure.
        const err = e as { code?: number; stdout?: string };
        if (err.code === 1 && typeof err.stdout === 'string') return err.stdout;
        throw e;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
  return parseRa(out);
}

const run = promisify(execFile);

/** "1094143913.394570" to microseconds, exactly. */
function usec(text: string): number {
  const [s, f = ''] = text.split('.');
  return Number(s) * 1_000_000 + Number((f + '000000').slice(0, 6));
}

function port(text: string): number | undefined {
  return text === '' ? undefined : text.startsWith('0x') ? Number.parseInt(text, 16) : Number(text);
}

export function parseRa(out: string): ArgusRecord[] {
  const records: ArgusRecord[] = [];
  for (const line of out.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const c = line.split(',');
    if (c.length !== FIELDS.length) throw new Error(`unexpected ra line: ${line}`);
    const [stime, ltime, saddr, sport, daddr, dport, proto, state, spkts, dpkts, sbytes, dbytes, dir] = c;
    records.push({
      stime: usec(stime), ltime: usec(ltime), proto, saddr, sport: port(sport), daddr, dport: port(dport), state,
      spkts: Number(spkts), dpkts: Number(dpkts), sbytes: Number(sbytes), dbytes: Number(dbytes), dir: dir.trim(),
    });
  }
  return records;
}
