import { join } from 'node:path';
import type { ShapeArgs } from './shapes/args';
import { describe } from './shapes/bench';
import { floodShape } from './shapes/flood';
import { analyzeArgv, CLI_ENV, conclusion, idList, ranFrom } from './shapes/jobs';
import { timed } from './shapes/measure';
import { prepareShape } from './shapes/prepare';

/**
 * The scale check (`npm run bench -- --only scale [--size 200M]`): analyze
 * the spoofed SYN flood capture with the V8 heap held to 256 MB. Any capture
 * size must fit in bounded memory and still be recognised as backscatter;
 * returns the exit status (0 only for a completed run with verdict backscatter).
 */
export const SCALE_HEAP_MB = 256;

export async function runScale(args: ShapeArgs, root: string): Promise<number> {
  const p = prepareShape(floodShape, args.sizeBytes, join(root, '.bench', 'shapes'), args.regenerate, (s) => console.log(s));
  process.stdout.write(`scale: analyze ${p.pcap} under node --max-old-space-size=${SCALE_HEAP_MB} ... `);
  const run = await timed(analyzeArgv(p, p.pcap, [`--max-old-space-size=${SCALE_HEAP_MB}`]), root, true,
    { rssCapBytes: args.rssCapBytes, timeoutSeconds: args.timeoutSeconds }, CLI_ENV);
  console.log(`${describe(run)} [${ranFrom(run.stderrHead)}]`);
  const c = run.exitCode === 0 ? conclusion(run.stdout) : undefined;
  if (c) {
    console.log(`scale: verdict ${c.verdict}; findings ${idList(c.findingIds)}`);
    for (const w of c.warnings) console.log(`scale: warning: ${w}`);
  }
  const mbPerSecond = run.seconds > 0 ? (p.meta.bytes / 1e6 / run.seconds).toFixed(1) : '?';
  if (c?.verdict === 'backscatter') {
    console.log(`scale: PASS (${p.meta.packets.toLocaleString('en-US')} packets, ${mbPerSecond} MB/s, peak RSS ${run.peakRssMB ?? '?'} MB)`);
    return 0;
  }
  const why = run.killed ? `stopped by the bench (${run.killed})` : run.exitCode !== 0 ? `analyze exited with ${run.exitCode}` : c ? `verdict ${c.verdict}, not backscatter` : 'no JSON result';
  console.log(`scale: FAIL: ${why}`);
  return 1;
}
