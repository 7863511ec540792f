import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { ShapeArgs } from './args';
import { floodShape } from './flood';
import { analyzeArgv, CLI_ENV, cliEnv, conclusion, ranFrom, TOOLS, toolArgv, type ToolId } from './jobs';
import { timed, type Limits, type Run } from './measure';
import { mixedShape } from './mixed';
import { prepareShape, type Prepared } from './prepare';
import { combineRuns } from './repeat';
import { printShapeReport } from './report';
import { scanShape } from './scan';
import type { Shape } from './shape';
import type { ShapeResult } from './result';
import { webShape } from './web';

/**
 * The shape benchmark (issue 9's targets): for each shape, its capture
 * (generated or reused), then analyze, inspect, tshark conv,tcp and tcpdump
 * timed with their peak RSS, and analyze's verdict and finding ids on the
 * whole capture and on its contiguous 1% slice. It reports; it does not fail
 * on speed or memory (a command that crashes does set a non-zero exit).
 */

interface Planned { id: string; shape: Shape; sizeBytes: number; tools: ToolId[]; skipWhy?: string }

export async function runShapeBench(args: ShapeArgs, root: string): Promise<ShapeResult[]> {
  const dir = join(root, '.bench', 'shapes');
  const limits: Limits = { rssCapBytes: args.rssCapBytes, timeoutSeconds: args.timeoutSeconds };
  const all = TOOLS.map((t) => t.id).filter((t) => !args.tools || args.tools.includes(t));
  const planned: Planned[] = [
    { id: 'flood', shape: floodShape, sizeBytes: args.sizeBytes, tools: all },
    { id: 'flood-x4', shape: floodShape, sizeBytes: 4 * args.sizeBytes, tools: ['analyze'], skipWhy: 'the ×4 flood checks analyze alone' },
    { id: 'mixed', shape: mixedShape, sizeBytes: args.sizeBytes, tools: all },
    { id: 'scan', shape: scanShape, sizeBytes: args.sizeBytes, tools: all },
    { id: 'web', shape: webShape, sizeBytes: args.sizeBytes, tools: all },
  ];
  const plan = planned.filter((p) => args.ids.has(p.id));
  const installed = new Map<string, boolean>([['tshark', tool('tshark')], ['tcpdump', tool('tcpdump')]]);
  const results: ShapeResult[] = [];
  for (const p of plan) {
    const prepared = prepareShape(p.shape, p.sizeBytes, dir, args.regenerate, (s) => console.log(s));
    results.push(await measureShape(p, prepared, installed, limits, root, args.repeat));
  }
  printShapeReport(results);
  const json = { date: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, limits, results: results.map(stripOutput) };
  writeFileSync(join(root, '.bench', 'shapes-results.json'), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nresults written to ${join(root, '.bench', 'shapes-results.json')}`);
  const crashed = results.some((r) => r.tools.some((t) => (t.tool.startsWith('analyze') || t.tool === 'inspect') && t.run && !t.run.killed && t.run.exitCode !== 0));
  if (crashed) process.exitCode = 1;
  return results;
}

async function measureShape(p: Planned, prepared: Prepared, installed: Map<string, boolean>, limits: Limits, root: string, rounds: number): Promise<ShapeResult> {
  // Every tool reads the file from the page cache, not the first one from the disk.
  spawnSync('sh', ['-c', 'cat "$1" > /dev/null', 'sh', prepared.pcap]);
  const r: ShapeResult = {
    id: p.id, title: p.shape.title, file: prepared.pcap, bytes: prepared.meta.bytes, packets: prepared.meta.packets,
    facts: prepared.meta.facts, tools: [], slicePackets: { first: prepared.meta.slice.first, count: prepared.meta.slice.count },
  };
  // Why a tool is not timed on this shape, or undefined: it is.
  const skipWhy = (id: ToolId): string | undefined => (!p.tools.includes(id) ? p.skipWhy ?? 'not in --tools' : installed.get(id) === false ? `${id} is not installed` : undefined);
  const timedIds = TOOLS.map((t) => t.id).filter((id) => skipWhy(id) === undefined);
  const runs = new Map<ToolId, Run[]>(timedIds.map((id) => [id, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const id of timedIds) {
      const mine = runs.get(id)!;
      // A command that failed or was stopped is not run again: its failure is the figure.
      if (mine.some((x) => x.killed || x.exitCode !== 0)) continue;
      process.stdout.write(`  ${p.id}: ${id}${rounds > 1 ? ` (round ${round} of ${rounds})` : ''} ... `);
      const analyze = id.startsWith('analyze');
      const run = await timed(toolArgv(id, prepared), root, analyze, limits, ours(id) ? cliEnv(id) : {});
      console.log(describe(run));
      mine.push(run);
      if (analyze && !r.full) r.full = conclusion(run.stdout);
    }
  }
  for (const { id } of TOOLS) {
    const skipped = skipWhy(id);
    if (skipped !== undefined) { r.tools.push({ tool: id, skipped }); continue; }
    const mine = runs.get(id)!;
    const run = combineRuns(mine);
    r.tools.push({ tool: id, run, ...(mine.length > 1 ? { seconds: mine.map((x) => x.seconds) } : {}), ...(ours(id) ? { ranFrom: ranFrom(run.stderrHead) } : {}) });
  }
  process.stdout.write(`  ${p.id}: analyze on the 1% slice ... `);
  r.sliceRun = await timed(analyzeArgv(prepared, prepared.slice), root, true, limits, CLI_ENV);
  console.log(describe(r.sliceRun));
  r.slice = conclusion(r.sliceRun.stdout);
  return r;
}

export function describe(run: Run): string {
  if (run.killed) return `stopped after ${run.seconds} s (${run.killed === 'memory' ? 'past the RSS cap' : 'past the time limit'})`;
  const rss = `${run.cpuSeconds === null ? '' : `, cpu ${run.cpuSeconds} s`}${run.peakRssMB === null ? '' : `, peak RSS ${run.peakRssMB} MB`}`;
  return run.exitCode === 0 ? `${run.seconds} s${rss}` : `FAILED (exit ${run.exitCode}) after ${run.seconds} s${rss}: ${run.stderrTail}`;
}

/** Our own CLI (analyze variants, inspect), as against the reference tools. */
function ours(id: ToolId): boolean {
  return id.startsWith('analyze') || id === 'inspect';
}

function tool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

function stripOutput(r: ShapeResult): unknown {
  const strip = (run?: Run): unknown => (run ? { ...run, stdout: undefined, stderrHead: undefined } : undefined);
  return { ...r, tools: r.tools.map((t) => ({ ...t, run: strip(t.run) })), sliceRun: strip(r.sliceRun) };
}
