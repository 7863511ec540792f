/**
 * Options of the shape benches, the scale check and the profile, taken out of
 * `npm run bench` arguments before the capture-reading bench parses the rest.
 *
 *   --only IDS        shapes (all of the below but scale and profile), flood, flood-x4, mixed,
 *                     scan, web, scale, profile; other ids are left to bench/run.ts
 *   --size S          capture size per shape: 200M, 1G, 4G ... (default 1G); flood-x4 is four times it
 *   --rss-cap S       stop a measured tool whose process tree passes this RSS (default 6G)
 *   --timeout SEC     stop a measured tool after this long (default 1800)
 *   --regenerate      rewrite the captures (also read by bench/run.ts)
 *   --tools LIST      the commands timed on each shape: analyze,inspect,tshark,tcpdump (default all);
 *                     tcpdump -nr prints every packet and takes minutes on a flood
 *   --repeat N        time every command N times, in N interleaved rounds, and report each one's
 *                     median run (default 1; repeat.ts says why)
 */
export const SHAPE_BENCH_IDS = ['flood', 'flood-x4', 'mixed', 'scan', 'web'] as const;
const OWN_IDS = new Set<string>(['shapes', ...SHAPE_BENCH_IDS, 'scale', 'profile']);

export interface ShapeArgs {
  /** What to run here; empty when --only names none of ours. */
  ids: Set<string>;
  sizeBytes: number;
  rssCapBytes: number;
  timeoutSeconds: number;
  regenerate: boolean;
  /** Rounds of timing per shape (--repeat): each command's figure is its median run. */
  repeat: number;
  /** The commands to time (--tools); undefined: all of them. */
  tools?: string[];
  /** The arguments left for bench/run.ts (our options and ids removed). */
  rest: string[];
  /** --only named our ids only: nothing is left for bench/run.ts. */
  onlyOurs: boolean;
}

/** "200M", "1G", "1.5G", "4096" (MiB) to bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: "${text}" (use e.g. 200M, 1G, 4G)`);
  const unit = { '': 2 ** 20, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(m[1]) * unit);
}

export function takeShapeArgs(argv: string[]): ShapeArgs {
  const a: ShapeArgs = { ids: new Set(), sizeBytes: 2 ** 30, rssCapBytes: 6 * 2 ** 30, timeoutSeconds: 1800, repeat: 1, regenerate: false, rest: [], onlyOurs: false };
  let only: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--size') a.sizeBytes = parseSize(value());
    else if (arg === '--rss-cap') a.rssCapBytes = parseSize(value());
    else if (arg === '--timeout') a.timeoutSeconds = Number(value());
    else if (arg === '--only') only = value().split(',').filter(Boolean);
    else if (arg === '--tools') a.tools = value().split(',').filter(Boolean);
    else if (arg === '--repeat') a.repeat = Number(value());
    else {
      if (arg === '--regenerate') a.regenerate = true;
      a.rest.push(arg);
    }
  }
  if (!Number.isFinite(a.timeoutSeconds) || a.timeoutSeconds <= 0) throw new Error('--timeout needs a number of seconds');
  if (!Number.isInteger(a.repeat) || a.repeat < 1) throw new Error('--repeat needs a whole number of rounds, 1 or more');
  if (only === undefined) {
    // A plain `npm run bench` runs every shape as well as the rest.
    for (const id of SHAPE_BENCH_IDS) a.ids.add(id);
    return a;
  }
  const theirs = only.filter((id) => !OWN_IDS.has(id));
  for (const id of only.filter((x) => OWN_IDS.has(x))) {
    if (id === 'shapes') for (const s of SHAPE_BENCH_IDS) a.ids.add(s);
    else a.ids.add(id);
  }
  if (theirs.length) a.rest.push('--only', theirs.join(','));
  a.onlyOurs = theirs.length === 0;
  return a;
}
