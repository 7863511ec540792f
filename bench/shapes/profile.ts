import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ShapeArgs } from './args';
import { describe } from './bench';
import { summarise, type CpuProfile, type ProfileSummary } from './cpu-profile';
import { floodShape } from './flood';
import { analyzeArgv } from './jobs';
import { timed } from './measure';
import { prepareShape } from './prepare';
import { formatTable } from './table';

/**
 * `npm run bench -- --only profile [--size 200M]`: analyze of the flood
 * capture under `node --cpu-prof`, summarised as self time per part of the
 * engine and the top functions.
 */
export async function runProfile(args: ShapeArgs, root: string): Promise<ProfileSummary | undefined> {
  const p = prepareShape(floodShape, args.sizeBytes, join(root, '.bench', 'shapes'), args.regenerate, (s) => console.log(s));
  const dir = join(root, '.bench', 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The sources, not the bundle: the bundle's chunks would hide which source file each function is in.
  process.stdout.write(`profile: analyze ${p.pcap} under --cpu-prof, from the sources (ABUSE_DESK_NO_BUNDLE=1) ... `);
  const run = await timed(analyzeArgv(p, p.pcap, ['--cpu-prof', `--cpu-prof-dir=${dir}`]), root, false,
    { rssCapBytes: args.rssCapBytes, timeoutSeconds: args.timeoutSeconds }, { ABUSE_DESK_NO_BUNDLE: '1' });
  console.log(describe(run));
  // The module loader has a thread (and a profile) of its own: the busiest profile is the engine's.
  const summaries = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summarise(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile));
  const s = summaries.sort((a, b) => b.busyMs - a.busyMs)[0];
  if (!s) { console.log('profile: no .cpuprofile was written'); process.exitCode = 1; return undefined; }
  console.log(`\nprofile of the main thread: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyMs / 1000).toFixed(1)} s busy (profiles in ${dir})\n`);
  console.log(formatTable([['self time by part', 'ms', '%']], s.areas.map((a) => [a.area, String(a.ms), a.share.toFixed(1)]), [false, true, true]));
  console.log('');
  console.log(formatTable([['function', 'where', 'ms', '%']], s.functions.map((f) => [f.name, f.where, String(f.ms), f.share.toFixed(1)]), [false, false, true, true]));
  return s;
}
