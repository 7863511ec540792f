import { cpus, loadavg } from 'node:os';
import type { ShapeResult } from './result';
import { idList, sameConclusion, TOOLS } from './jobs';
import type { Run } from './measure';
import { formatTable } from './table';

/** Issue 9's goals, printed with each shape's figures. */
export const GOAL_SPEEDUP = 8;
export const GOAL_RSS_MB = 300;

const mib = (n: number): string => (n / 1048576).toFixed(0);
const count = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n.toLocaleString('en-US'));

/** Wall seconds, CPU seconds and MB of one run; ">" where the watchdog stopped it, "!" where it failed. */
function cells(run: Run | undefined, skipped: boolean): [string, string, string] {
  if (!run) return skipped ? ['-', '-', '-'] : ['?', '?', '?'];
  const mark = run.killed ? '>' : run.exitCode !== 0 ? '!' : '';
  const cpu = run.cpuSeconds === null ? '?' : `${mark}${run.cpuSeconds.toFixed(1)}`;
  const mb = run.peakRssMB === null ? '?' : `${run.killed === 'memory' ? '>' : ''}${run.peakRssMB}`;
  return [`${mark}${run.seconds.toFixed(1)}`, cpu, mb];
}

function run(r: ShapeResult, tool: string): Run | undefined {
  return r.tools.find((t) => t.tool === tool)?.run;
}

const ok = (x: Run | undefined): x is Run => !!x && !x.killed && x.exitCode === 0;

/** tshark's wall (and CPU) time over analyze's; lower bounds when tshark was stopped. */
export function speedup(r: ShapeResult): { ratio: number; cpuRatio?: number; atLeast: boolean } | undefined {
  const a = run(r, 'analyze');
  const t = run(r, 'tshark');
  if (!ok(a) || !t || (!t.killed && t.exitCode !== 0)) return undefined;
  const cpuRatio = a.cpuSeconds && t.cpuSeconds !== null ? t.cpuSeconds / a.cpuSeconds : undefined;
  return { ratio: t.seconds / a.seconds, cpuRatio, atLeast: !!t.killed };
}

function ratioText(s: ReturnType<typeof speedup>): string {
  if (!s) return 'n/a';
  const ge = s.atLeast ? '≥' : '';
  return `${ge}${s.ratio.toFixed(2)}x${s.cpuRatio !== undefined ? ` (cpu ${ge}${s.cpuRatio.toFixed(2)}x)` : ''}`;
}

export function printShapeReport(results: ShapeResult[]): void {
  console.log('\ncaptures');
  for (const r of results) {
    const facts = Object.entries(r.facts).map(([k, v]) => `${k} ${count(v)}`).join(', ');
    console.log(`  ${r.id.padEnd(9)} ${mib(r.bytes).padStart(5)} MiB, ${count(r.packets)} packets${facts ? `; ${facts}` : ''}`);
  }

  const head = [
    ['', 'capture', '', ...TOOLS.flatMap((t) => [t.label, '', '']), 'analyze vs'],
    ['shape', 'MiB', 'packets', ...TOOLS.flatMap(() => ['s', 'cpu s', 'MB']), 'tshark'],
  ];
  const body = results.map((r) => {
    return [
      r.id, mib(r.bytes), count(r.packets),
      ...TOOLS.flatMap((t) => cells(run(r, t.id), !!r.tools.find((x) => x.tool === t.id)?.skipped)),
      ratioText(speedup(r)),
    ];
  });
  console.log('');
  console.log(formatTable(head, body, [false, ...Array<boolean>(3 + 3 * TOOLS.length).fill(true)]));
  console.log('s: wall seconds; cpu s: user + system seconds; MB: peak RSS (10^6 bytes); ">" stopped by the bench (RSS cap or time limit), "!" failed, "-" not run');
  const from = [...new Set(results.flatMap((r) => r.tools.map((t) => t.ranFrom).filter(Boolean)))];
  if (from.length) console.log(`our CLI ran from: ${from.join(' and ')} (bin/abuse-desk.mjs runs the bundle in dist/cli when it is current, else the sources through tsx)`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (wall times include waiting for a core)`);
  const repeated = results.flatMap((r) => r.tools.filter((t) => t.seconds).map((t) => `  ${r.id.padEnd(9)} ${t.tool.padEnd(11)} ${t.seconds!.map((s) => s.toFixed(2)).join('  ')}`));
  if (repeated.length) console.log(`each figure is the median of interleaved rounds (peak RSS: the highest); wall seconds of every round:\n${repeated.join('\n')}`);
  for (const r of results) {
    for (const t of r.tools) {
      if (t.run && (t.run.killed || t.run.exitCode !== 0)) console.log(`  ${r.id} ${t.tool}: ${t.run.killed ? `stopped (${t.run.killed})` : `exit ${t.run.exitCode}`}${t.run.stderrTail ? `: ${t.run.stderrTail}` : ''}`);
      else if (t.skipped && t.skipped.includes('not installed')) console.log(`  ${r.id} ${t.tool}: ${t.skipped}`);
    }
  }

  console.log('\nverdict and finding ids of analyze: whole capture, then its contiguous 1% slice');
  for (const r of results) {
    const same = r.full && r.slice ? sameConclusion(r.full, r.slice) : undefined;
    console.log(`  ${r.id.padEnd(9)} whole: ${r.full ? `${r.full.verdict.padEnd(13)} ${idList(r.full.findingIds)}` : '(no result)'}`);
    console.log(`  ${''.padEnd(9)} slice: ${r.slice ? `${r.slice.verdict.padEnd(13)} ${idList(r.slice.findingIds)}` : '(no result)'}  (packets ${r.slicePackets.first}-${r.slicePackets.first + r.slicePackets.count - 1})`);
    console.log(`  ${''.padEnd(9)} ${same === undefined ? 'NOT COMPARED' : same ? 'same' : '** DIFFERENT **'}`);
    for (const w of r.full?.warnings ?? []) console.log(`  ${''.padEnd(9)} warning (whole): ${w}`);
  }

  console.log(`\ngoals: analyze ≥ ${GOAL_SPEEDUP}x faster than tshark conv,tcp; analyze peak RSS ≤ ${GOAL_RSS_MB} MB; the same verdict and finding ids on the 1% slice`);
  for (const r of results) {
    const s = speedup(r);
    const a = run(r, 'analyze');
    const speed = s ? `${ratioText(s)} ${s.ratio >= GOAL_SPEEDUP ? 'met' : s.atLeast ? 'not shown' : 'NOT MET'}` : 'not measured';
    const rss = ok(a) && a.peakRssMB !== null ? `${a.peakRssMB} MB ${a.peakRssMB <= GOAL_RSS_MB ? 'met' : 'NOT MET'}` : a ? `NOT MET (${a.killed ? `stopped: ${a.killed}` : `exit ${a.exitCode}`})` : 'not measured';
    const same = r.full && r.slice ? (sameConclusion(r.full, r.slice) ? 'met' : 'NOT MET') : 'not measured';
    console.log(`  ${r.id.padEnd(9)} speed: ${speed.padEnd(30)} RSS: ${rss.padEnd(16)} slice: ${same}`);
  }
}
