import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEvidenceFile } from '../../services/io/read-file';
import { casesDir, filesIn, repoRoot, sharedDir } from '../helpers/paths';

/**
 * No value taken from a seed write-up or an example case may drive shipped
 * code: an explanation that quotes seed 003's "port 770, 28 bytes" to every
 * complainant, or a check that fires on seed 001's "21 ports", is tuned to
 * the examples and wrong for everyone else. The forbidden values are derived
 * from ../shared/seeds/*.txt and ../shared/cases/* themselves (addresses,
 * MACs, the ports and counts they name, dates, names), and every .ts file of
 * the shipped layers is read with its comments removed: a comment may cite
 * where a rule comes from, code and strings may not repeat it.
 */
const seedsDir = join(sharedDir, 'seeds');
const SHIPPED = ['analysis', 'store', 'services', 'host', 'cli', 'electron'];

/**
 * Values the derivation finds that are genuine protocol or tool constants,
 * each allowed in the named file only, with the reason.
 */
const ALLOWED: Array<{ value: string; file: string; why: string }> = [
  { value: '127.0.0.1', file: 'analysis/detect/impossible-source.ts', why: 'IPv4 loopback (RFC 1122 3.2.1.3); the documented Blaster artefact names it because the DNS workaround resolved windowsupdate.com to it' },
  { value: '127.0.0.1', file: 'host/serve/server.ts', why: 'IPv4 loopback: serve binds to it and checks the Host header against it' },
  { value: '127.0.0.1', file: 'cli/commands/serve.ts', why: 'IPv4 loopback: the address serve listens on, in its help and error text' },
  { value: '127.0.0.1', file: 'analysis/triage/checks/impossible-source.ts', why: 'IPv4 loopback, in the name of the documented Blaster artefact' },
  { value: 'ff:ff:ff:ff:ff:ff', file: 'analysis/ingest/text/tcpdump-text.ts', why: 'the Ethernet broadcast address (IEEE 802.3), which tcpdump -e prints as "Broadcast"' },
  { value: '2005-06-03', file: 'analysis/detect/crafted/finding.ts', why: 'cites the public SANS ISC diary of that date as the source of the "port 0" explanation; no logic depends on it' },
  { value: '=== 64', file: 'analysis/detect/worm-patterns.ts', why: 'Welchia/Nachi pings with a 64-byte 0xAA payload (Symantec W32.Welchia.Worm write-up)' },
  { value: '64-byte', file: 'analysis/detect/worm-patterns.ts', why: 'the same Welchia payload size, named in the finding' },
  { value: '64 bytes', file: 'analysis/detect/worm-patterns.ts', why: 'the same Welchia payload size, in the explanation' },
];

/** Ports the seeds name that every network program knows by number: not distinctive. */
const NOT_DISTINCTIVE_PORTS = new Map<number, string>([
  [0, 'the reserved port; "port 0" is how non-first fragments show up in some tools'],
  [80, 'HTTP'],
]);

/** Counts below this are too common in protocol code (IPv6's 8 groups, option kinds) to flag in comparisons. */
const MIN_COMPARED_COUNT = 10;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const UNITS = ['port', 'byte', 'datagram', 'packet', 'host', 'time'];
const QUALIFIERS = '(?:(?:different|distinct|unique|tcp|udp|privileged|unprivileged|destination|target)[ \\t]+)?';
const IPV4 = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d/])/g;
const MAC = /(?<![\w:])([0-9a-f]{2}(?::[0-9a-f]{2}){5})(?![\w:])/gi;

interface Forbidden {
  /** Literal values matched exactly (addresses, MACs, e-mail addresses, names, ISO dates). */
  exact: Set<string>;
  /** Port numbers matched as a bare number. */
  ports: Set<number>;
  /** "21 ports", "28 bytes": count and unit. */
  counts: Array<{ n: number; unit: string }>;
  /** Date.UTC(2002, 1, 25 and the like. */
  utcDates: Set<string>;
}

function validIpv4(a: string): boolean {
  return a.split('.').every((o) => Number(o) <= 255);
}

function addTextValues(text: string, f: Forbidden): void {
  for (const m of text.matchAll(IPV4)) if (validIpv4(m[1])) f.exact.add(m[1]);
  for (const m of text.matchAll(MAC)) f.exact.add(m[1].toLowerCase());
  for (const m of text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) f.exact.add(m[0].toLowerCase());
  // Authors and handlers: "From: First Last", "(First Last)", "by First Last", "Handler on Duty: First Last".
  for (const m of text.matchAll(/(?:^From: |\(|\bby |Handler on Duty: )([A-Z][a-z]+ [A-Z][a-z]+)\b/gm)) f.exact.add(m[1].toLowerCase());
  // "N ports", "28 bytes", "64-byte".
  const count = new RegExp(`\\b(\\d+)[ \\t-]${QUALIFIERS}(${UNITS.join('|')})s?\\b`, 'gi');
  for (const m of text.matchAll(count)) {
    const n = Number(m[1]);
    const unit = m[2].toLowerCase();
    if (n >= 2 && !f.counts.some((c) => c.n === n && c.unit === unit)) f.counts.push({ n, unit });
  }
  // "source port 770", "port of 770", "UDP:770", "ports as follows: 63451, 63452".
  for (const m of text.matchAll(/\b(?:ports?(?: of| number| as follows:?)?|udp:|tcp:)[ \t]*(\d+(?:,\s*\d+)*)(?![\d.])/gi)) {
    for (const p of m[1].split(/,\s*/)) f.ports.add(Number(p));
  }
  // Runs of consecutive numbers ("37201, 37202, 37203"): the port runs of a burst.
  for (const m of text.matchAll(/\b\d+(?:,\s*\d+){2,}/g)) {
    const ns = m[0].split(/,\s*/).map(Number);
    if (ns.every((n, i) => i === 0 || n === ns[i - 1] + 1)) for (const n of ns) f.ports.add(n);
  }
  // Dates: ISO, "25 Feb 2002", "December 18, 2003".
  const date = (y: number, mo: number, d: number): void => {
    if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return;
    f.exact.add(`${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    f.utcDates.add(`Date.UTC(${y}, ${mo - 1}, ${d}`);
  };
  for (const m of text.matchAll(/\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b/g)) date(Number(m[1]), Number(m[2]), Number(m[3]));
  for (const m of text.matchAll(/\b(\d{1,2}) ([A-Z][a-z]{2})[a-z]* ((?:19|20)\d\d)\b/g)) date(Number(m[3]), MONTHS.indexOf(m[2].toLowerCase()) + 1, Number(m[1]));
  for (const m of text.matchAll(/\b([A-Z][a-z]{2})[a-z]* (\d{1,2}), ((?:19|20)\d\d)\b/g)) date(Number(m[3]), MONTHS.indexOf(m[1].toLowerCase()) + 1, Number(m[2]));
}

async function deriveForbidden(): Promise<Forbidden> {
  const f: Forbidden = { exact: new Set(), ports: new Set(), counts: [], utcDates: new Set() };
  for (const s of readdirSync(seedsDir).filter((n) => n.endsWith('.txt'))) addTextValues(readFileSync(join(seedsDir, s), 'utf8'), f);
  for (const c of readdirSync(casesDir).filter((d) => existsSync(join(casesDir, d, 'expected.json')))) {
    const exp = JSON.parse(readFileSync(join(casesDir, c, 'expected.json'), 'utf8')) as { complaint: string; evidence: string[] };
    addTextValues(readFileSync(join(casesDir, c, 'expected.json'), 'utf8'), f);
    addTextValues(readFileSync(join(casesDir, c, exp.complaint), 'utf8'), f);
    // The evidence's own addresses and MACs, whatever its format.
    for (const e of exp.evidence) {
      const { summary } = await readEvidenceFile(join(casesDir, c, e), {
        onEvent: (ev) => {
          for (const a of [ev.src, ev.dst]) if (a && a.includes('.')) f.exact.add(a);
          for (const m of [ev.srcMac, ev.dstMac]) if (m) f.exact.add(m.toLowerCase());
        },
      });
      if (summary.error || summary.records === 0) throw new Error(`case evidence ${c}/${e} could not be read: ${summary.error ?? 'no records'}`);
    }
  }
  for (const p of NOT_DISTINCTIVE_PORTS.keys()) f.ports.delete(p);
  return f;
}

/** The file's code and strings without its comments, as the TypeScript printer writes it. */
function codeOf(path: string): string {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(sf);
}

/** Every forbidden value in `code`, as the text that matched. */
export function findSeedLiterals(code: string, f: Forbidden): string[] {
  const hits: string[] = [];
  const lower = code.toLowerCase();
  for (const m of code.matchAll(IPV4)) if (f.exact.has(m[1])) hits.push(m[1]);
  for (const m of code.matchAll(MAC)) if (f.exact.has(m[1].toLowerCase())) hits.push(m[1].toLowerCase());
  for (const v of f.exact) if (!/^[\d.:a-f]+$/.test(v) && !/^\d{4}-/.test(v) && lower.includes(v)) hits.push(v);
  for (const v of f.exact) if (/^\d{4}-\d\d-\d\d$/.test(v) && code.includes(v)) hits.push(v);
  for (const v of f.utcDates) if (code.replace(/\s+/g, ' ').includes(v)) hits.push(v);
  for (const m of code.matchAll(/(?<![\w.$])(\d+)(?![\w.])/g)) if (f.ports.has(Number(m[1]))) hits.push(m[1]);
  for (const { n, unit } of f.counts) {
    for (const m of code.matchAll(new RegExp(`(?<![\\w.])${n}[ \\t-]${QUALIFIERS}${unit}s?\\b`, 'gi'))) hits.push(m[0]);
    if (n < MIN_COMPARED_COUNT) continue;
    for (const m of code.matchAll(new RegExp(`(?:[!=]==?\\s*${n}(?![\\w.])|(?<![\\w.])${n}\\s*[!=]==?)`, 'g'))) hits.push(m[0].replace(/\s+/g, ' '));
  }
  return hits;
}

describe('no seed or example-case literal in shipped code', () => {
  let forbidden: Forbidden;
  beforeAll(async () => {
    // The seeds and cases are part of the checkout's shared folder: without them there is nothing to check against.
    expect(existsSync(seedsDir), `${seedsDir} is missing: the seeds are needed to derive the forbidden values`).toBe(true);
    expect(existsSync(casesDir), `${casesDir} is missing: the example cases are needed to derive the forbidden values`).toBe(true);
    forbidden = await deriveForbidden();
  });

  it('derives the seeds\' distinctive values (so an empty list cannot pass)', () => {
    expect(forbidden.ports).toContain(770);
    expect(forbidden.ports).not.toContain(80);
    expect(forbidden.counts).toEqual(expect.arrayContaining([{ n: 21, unit: 'port' }, { n: 28, unit: 'byte' }, { n: 137, unit: 'port' }]));
    for (const v of ['130.216.1.1', '133.74.6.1', '198.51.100.90', '192.0.2.66', '00:16:3e:11:22:33', '2002-02-25', 'byrne ghavalas']) expect(forbidden.exact).toContain(v);
  });

  it('the matcher finds each kind of literal and ignores comments', () => {
    const f = forbidden;
    const probe = (src: string): string[] => findSeedLiterals(ts.createPrinter({ removeComments: true }).printFile(ts.createSourceFile('x.ts', src, ts.ScriptTarget.Latest)), f);
    expect(probe('const a = "UDP source port 770, bursts of 28 bytes";')).toEqual(expect.arrayContaining(['770', '28 bytes']));
    expect(probe('if (c.claimedCount === 21) x();')).toEqual(['=== 21']);
    expect(probe('const s = `${n} ports`; if (21 !== n) y();')).toEqual(['21 !==']);
    expect(probe('const host = "198.51.100.90"; const m = "00:16:3E:11:22:33";')).toEqual(['198.51.100.90', '00:16:3e:11:22:33']);
    expect(probe('const t = Date.UTC(2002, 1, 25, 12);')).toEqual(['Date.UTC(2002, 1, 25']);
    expect(probe('// seed 003: source port 770, 28 bytes, 198.51.100.90\nconst net = "198.51.100.0/24"; const p = 7700; const q = 1.770;')).toEqual([]);
  });

  it('analysis/, store/, services/, host/, cli/ and electron/ hold none of them', () => {
    const files = SHIPPED.flatMap((d) => filesIn(join(repoRoot, d), /\.ts$/));
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const path of files) {
      const rel = relative(repoRoot, path);
      for (const hit of findSeedLiterals(codeOf(path), forbidden)) {
        if (ALLOWED.some((a) => a.file === rel && a.value === hit)) continue;
        found.push(`${rel}: ${hit}`);
      }
    }
    expect(found, `seed or example-case values in shipped code:\n${found.join('\n')}`).toEqual([]);
  });

  it('every allow-list entry is still needed', () => {
    for (const a of ALLOWED) {
      expect(findSeedLiterals(codeOf(join(repoRoot, a.file)), forbidden), `${a.file} no longer holds ${a.value}: drop the entry`).toContain(a.value);
    }
  });
});
