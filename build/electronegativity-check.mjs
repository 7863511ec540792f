#!/usr/bin/env node
/**
 * `npm run lint:electron`: runs @doyensec/electronegativity on electron/
 * (it parses the TypeScript sources itself) for the Electron version in
 * package.json, and fails only on findings that electron/ELECTRONEGATIVITY.md
 * does not triage. A triage row names the check, the file and a piece of the
 * flagged line's code, so it survives lines moving but not the code changing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const INPUT = 'electron';
const TRIAGE = join(ROOT, INPUT, 'ELECTRONEGATIVITY.md');

/** Rows of the triage tables: `| CHECK_ID | electron/file.ts | `code` | status | why |`. */
export function parseTriage(markdown) {
  const rows = [];
  for (const line of markdown.split('\n')) {
    if (!line.trim().startsWith('|')) continue;
    const cells = line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
    if (cells.length < 5 || !/^[A-Z0-9_]+_CHECK$/.test(cells[0])) continue;
    const code = /^`(.+)`$/.exec(cells[2]);
    if (!code) throw new Error(`triage row for ${cells[0]} in ${cells[1]}: the code column must be one \`code span\``);
    const status = cells[3].toLowerCase();
    if (!['fixed', 'not applicable'].includes(status)) throw new Error(`triage row for ${cells[0]}: status must be "fixed" or "not applicable", not "${cells[3]}"`);
    if (!cells[4]) throw new Error(`triage row for ${cells[0]}: say why`);
    rows.push({ check: cells[0], file: cells[1], code: code[1], status, why: cells[4] });
  }
  return rows;
}

/** SARIF results as findings, each with the text of the line it points at. */
export function findingsFromSarif(sarif, readLine) {
  const out = [];
  for (const run of sarif.runs ?? []) {
    for (const r of run.results ?? []) {
      const loc = r.locations?.[0]?.physicalLocation;
      const file = `${INPUT}/${loc?.artifactLocation?.uri ?? '?'}`;
      const line = loc?.region?.startLine ?? 0;
      out.push({ check: r.ruleId, file, line, text: readLine(file, line), message: r.message?.text ?? '' });
    }
  }
  return out;
}

/** Findings no row triages, and rows that match no finding (stale). */
export function compare(findings, rows) {
  const used = new Set();
  const untriaged = [];
  for (const f of findings) {
    const i = rows.findIndex((r) => r.check === f.check && r.file === f.file && f.text.includes(r.code));
    if (i < 0) untriaged.push(f);
    else used.add(i);
  }
  return { untriaged, stale: rows.filter((_, i) => !used.has(i)) };
}

function electronVersion() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return String(pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? '').replace(/^[^\d]*/, '');
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  try {
    const out = join(dir, 'findings.sarif');
    const bin = join(ROOT, 'node_modules', '.bin', 'electronegativity');
    if (!existsSync(bin)) throw new Error('@doyensec/electronegativity is not installed (npm ci)');
    const run = spawnSync(bin, ['-i', INPUT, '-r', '-v', 'false', '-e', electronVersion(), '-o', out], { cwd: ROOT, encoding: 'utf8' });
    if (!existsSync(out)) throw new Error(`electronegativity wrote no report (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    const cache = new Map();
    const readLine = (file, line) => {
      if (!cache.has(file)) cache.set(file, existsSync(join(ROOT, file)) ? readFileSync(join(ROOT, file), 'utf8').split('\n') : []);
      return (cache.get(file)[line - 1] ?? '').trim();
    };
    const findings = findingsFromSarif(JSON.parse(readFileSync(out, 'utf8')), readLine);
    const { untriaged, stale } = compare(findings, parseTriage(readFileSync(TRIAGE, 'utf8')));
    for (const r of stale) console.warn(`stale triage row (no such finding any more): ${r.check} ${r.file} \`${r.code}\``);
    console.log(`electronegativity: ${findings.length} finding(s) on ${INPUT}/, ${findings.length - untriaged.length} triaged in ${INPUT}/ELECTRONEGATIVITY.md`);
    for (const f of untriaged) console.error(`UNTRIAGED ${f.check} ${f.file}:${f.line}: ${f.message}\n    ${f.text}`);
    if (untriaged.length) {
      console.error(`${untriaged.length} untriaged finding(s): fix them, or add a row saying why they do not apply to ${INPUT}/ELECTRONEGATIVITY.md`);
      return 1;
    }
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(`lint:electron: ${e.message}`);
    process.exitCode = 2;
  }
}
