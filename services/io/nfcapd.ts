import { spawn, spawnSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { EventSink, ReadContext, ReadSummary } from '../../analysis/ingest/reader';
import { textReaders } from '../../analysis/ingest/text/index';

/**
 * Binary nfcapd files (what nfcapd writes from NetFlow v5/v9 and IPFIX) are
 * read by nfdump itself, the one reader of its own format: we run
 * `nfdump -r FILE -o json` (csv where json is missing) and stream its output
 * into the nfdump text reader. TZ=UTC makes its zone-less times UTC, so they
 * are exact, not inferred. nfcapd has already scaled sampled records' counts;
 * `nfdump -E` tells the rate, which we put on those records.
 */

/** nfcapd file header (nfdump nffileV2.h): magic 0xA50C, then layout version 1 or 2, in the writer's byte order. */
export function isNfcapd(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const le = head[0] === 0x0c && head[1] === 0xa5;
  const be = head[0] === 0xa5 && head[1] === 0x0c;
  const version = le ? head[2] | (head[3] << 8) : be ? (head[2] << 8) | head[3] : 0;
  return version === 1 || version === 2;
}

const MISSING = 'is an nfcapd (NetFlow/IPFIX) file: reading it needs nfdump, which is not installed (Debian/Ubuntu: apt-get install nfdump)';

let outputMode: 'json' | 'csv' | null | undefined;

/** The richest output nfdump offers here (json from 1.6.18 on), or null when nfdump is not installed. */
function nfdumpMode(): 'json' | 'csv' | null {
  if (outputMode === undefined) {
    const r = spawnSync('nfdump', ['-h'], { encoding: 'utf8' });
    outputMode = r.error ? null : /^\s*json\s/m.test(`${r.stdout}${r.stderr}`) ? 'json' : 'csv';
  }
  return outputMode;
}

/** 1-in-N rates of the samplers nfcapd recorded in the file (`nfdump -E`). */
function samplingRates(path: string): number[] {
  const r = spawnSync('nfdump', ['-E', path], { encoding: 'utf8' });
  const rates = new Set<number>();
  for (const line of (r.stdout ?? '').split('\n')) {
    if (!/Sampler/i.test(line)) continue;
    // 1.7: "packet interval: 1, packet space: 9" (one in ten); 1.6: "interval: 10".
    const m = /packet interval: (\d+), packet space: (\d+)/.exec(line);
    const rate = m ? Number(m[1]) + Number(m[2]) : Number(/interval: (\d+)/.exec(line)?.[1] ?? 0);
    if (rate > 1) rates.add(rate);
  }
  return [...rates];
}

async function head(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Read `path` through nfdump when it is an nfcapd file; null when it is not
 * one (the caller reads it as any other evidence).
 */
export async function readNfcapd(path: string, ctx: ReadContext, sink: EventSink): Promise<ReadSummary | null> {
  if (!isNfcapd(await head(path))) return null;
  const empty: ReadSummary = { file: ctx.file, format: 'nfcapd', linkTypes: [], records: 0, skipped: 0, bytes: ctx.size ?? 0, timeInferred: false };
  const mode = nfdumpMode();
  if (!mode) {
    ctx.diag.weird({ code: 'nfdump_missing', file: ctx.file, offset: 0, message: `${ctx.file} ${MISSING}` });
    return { ...empty, error: `${ctx.file} ${MISSING}` };
  }
  const rates = samplingRates(path);
  const child = spawn('nfdump', ['-r', path, '-o', mode], {
    env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'], signal: ctx.signal,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < 4000) stderr += d; });
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
  ctx.diag.weird({
    code: 'nfcapd_via_nfdump', file: ctx.file, offset: 0,
    message: `read through "nfdump -r ${ctx.file} -o ${mode}" (times in UTC); line numbers are those of nfdump's output`,
  });
  if (rates.length) {
    ctx.diag.weird({
      code: 'nfcapd_sampled', file: ctx.file, offset: 0,
      message: `sampled NetFlow (1 in ${rates.join(', 1 in ')}): nfcapd scaled the sampled records' packet and byte counts up, so they are estimates`,
    });
  }
  const onEvent: EventSink = (ev) => {
    // nfdump ran with TZ=UTC: its zone-less times are UTC, not a guess.
    delete ev.timeInferred;
    if (ev.flow?.sampled && rates.length === 1) ev.flow.samplingRate = rates[0];
    sink(ev);
  };
  // The output is nfdump text by construction: no sniffing, so a file without flows reads as zero records.
  const reader = textReaders.find((r) => r.format === 'nfdump')!;
  const summary = await reader.read(child.stdout, {
    ...ctx, size: undefined, reference: { nearMs: ctx.reference?.nearMs ?? Date.now(), zone: 'UTC' },
  }, onEvent);
  const code = await exited;
  summary.format = 'nfcapd';
  summary.timeInferred = false;
  summary.bytes = ctx.size ?? summary.bytes;
  // nfdump's JSON spreads a record over some thirty lines: lines that are not records say nothing here.
  summary.skipped = 0;
  // nfdump 1.7 exits 0 even on a file it cannot open ("bad magic"): its complaints on stderr are the sign.
  const why = stderr.trim().split('\n').slice(-3).join(' ');
  if (code !== 0 || why) {
    const message = `nfdump ${summary.records ? 'complained' : 'could not read the file'}: ${why || `exit status ${code}`}`;
    ctx.diag.weird({ code: 'nfdump_failed', file: ctx.file, offset: 0, message });
    if (code !== 0 || summary.records === 0) summary.error = message;
  }
  return summary;
}
