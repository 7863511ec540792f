/**
 * Reads a V8 .cpuprofile (as `node --cpu-prof` writes it) into self time per
 * function and per part of the engine, so a bench run can say what limits
 * analyze: framing, decoding, the flow table, detectors, or the collector.
 */
interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface ProfileSummary {
  totalMs: number;
  /** Busy time: all but (idle) and (program). */
  busyMs: number;
  functions: Array<{ name: string; where: string; ms: number; share: number }>;
  areas: Array<{ area: string; ms: number; share: number }>;
}

/** Which part of the work a source location belongs to. */
export function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)' || name === '(program)') return 'idle / native';
  if (/pcap-parser|\/ingest\//.test(url)) return 'framing (pcap-parser, readers)';
  if (/\/analysis\/decode\//.test(url)) return 'decode';
  if (/\/analysis\/events\//.test(url)) return 'events and flow table';
  if (/\/analysis\/detect\//.test(url)) return 'detectors and accumulators';
  if (/\/analysis\/(pipeline|correlate|verdict|draft|complaint)/.test(url)) return 'pipeline, correlation, draft';
  if (/\/cli\//.test(url)) return 'CLI and file reading';
  if (/tsx|esbuild|node:internal\/modules|^node:internal\/(vm|process)|esm\//.test(url) || url === '') return 'start-up, modules, runtime';
  if (url.startsWith('node:')) return 'Node built-ins (buffers, streams, fs)';
  return 'other';
}

export function summarise(p: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  let totalMs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    selfMs.set(p.samples[i], (selfMs.get(p.samples[i]) ?? 0) + ms);
  }
  const fn = new Map<string, { name: string; where: string; ms: number }>();
  const areas = new Map<string, number>();
  let idleMs = 0;
  for (const [id, ms] of selfMs) {
    const f = byId.get(id)!.callFrame;
    const name = f.functionName || '(anonymous)';
    const where = f.url.replace(/^file:\/\/.*?\/(analysis|cli|bench|node_modules)\//, '$1/');
    const a = area(f.url, name);
    if (a === 'idle / native' && name === '(idle)') idleMs += ms;
    areas.set(a, (areas.get(a) ?? 0) + ms);
    const key = `${name} ${where}`;
    const e = fn.get(key) ?? { name, where, ms: 0 };
    e.ms += ms;
    fn.set(key, e);
  }
  const busyMs = totalMs - idleMs;
  const share = (ms: number): number => Math.round((1000 * ms) / Math.max(1, totalMs)) / 10;
  return {
    totalMs: Math.round(totalMs),
    busyMs: Math.round(busyMs),
    functions: [...fn.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((e) => ({ ...e, ms: Math.round(e.ms), share: share(e.ms) })),
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([a, ms]) => ({ area: a, ms: Math.round(ms), share: share(ms) })),
  };
}
