/**
 * build/electronegativity-check.mjs: the triage file parses, every row says
 * why, and a finding is let through only by a row with its check, file and
 * code (a moved line still matches, changed code does not).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, findingsFromSarif, parseTriage } from '../../build/electronegativity-check.mjs';
import { repoRoot } from '../helpers/paths';

const triage = parseTriage(readFileSync(join(repoRoot, 'electron', 'ELECTRONEGATIVITY.md'), 'utf8'));

function sarif(results: Array<{ ruleId: string; uri: string; line: number }>) {
  return { runs: [{ results: results.map((r) => ({ ruleId: r.ruleId, message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: r.uri }, region: { startLine: r.line } } }] })) }] };
}

describe('the electronegativity triage', () => {
  it('has a row with a status and a reason for each finding it lists', () => {
    expect(triage.length).toBeGreaterThanOrEqual(3);
    for (const r of triage) {
      expect(['fixed', 'not applicable']).toContain(r.status);
      expect(r.why.length).toBeGreaterThan(40);
      // The code the row names is still in the file it names.
      expect(readFileSync(join(repoRoot, r.file), 'utf8'), `${r.check} ${r.file}`).toContain(r.code);
    }
  });

  it('lets a triaged finding through wherever its line moved, and nothing else', () => {
    const main = readFileSync(join(repoRoot, 'electron/main/main.ts'), 'utf8').split('\n');
    const lineOf = (code: string) => main.findIndex((l) => l.includes(code)) + 1;
    const readLine = (file: string, line: number) => (file === 'electron/main/main.ts' ? (main[line - 1] ?? '') : '');
    const open = triage.find((r) => r.check === 'OPEN_EXTERNAL_JS_CHECK')!;
    const found = findingsFromSarif(sarif([
      { ruleId: 'OPEN_EXTERNAL_JS_CHECK', uri: 'main/main.ts', line: lineOf(open.code) },
      // The same check on another line (a new openExternal call) is not covered by that row.
      { ruleId: 'OPEN_EXTERNAL_JS_CHECK', uri: 'main/main.ts', line: lineOf('registerAppProtocol();') },
      { ruleId: 'NODE_INTEGRATION_JS_CHECK', uri: 'main/main.ts', line: lineOf('nodeIntegration: false') },
    ]), readLine);
    expect(found[0]).toMatchObject({ file: 'electron/main/main.ts', check: 'OPEN_EXTERNAL_JS_CHECK' });
    const { untriaged, stale } = compare(found, triage);
    expect(untriaged.map((f) => f.check)).toEqual(['OPEN_EXTERNAL_JS_CHECK', 'NODE_INTEGRATION_JS_CHECK']);
    expect(untriaged[0].line).toBe(lineOf('registerAppProtocol();'));
    expect(stale.map((r) => r.check).sort()).toEqual(triage.filter((r) => r !== open).map((r) => r.check).sort());
  });

  it('refuses a row without a reason or with another status', () => {
    expect(() => parseTriage('| OPEN_EXTERNAL_JS_CHECK | electron/main/main.ts | `x` | fixed | |')).toThrow(/why/);
    expect(() => parseTriage('| OPEN_EXTERNAL_JS_CHECK | electron/main/main.ts | `x` | wontfix | because |')).toThrow(/status/);
    expect(() => parseTriage('| OPEN_EXTERNAL_JS_CHECK | electron/main/main.ts | x | fixed | because |')).toThrow(/code span/);
    expect(parseTriage('| Check | File | Code | Status | Why |\n|---|---|---|---|---|')).toEqual([]);
  });
});
