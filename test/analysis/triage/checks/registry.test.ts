import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../../analysis/complaint/parse-complaint';
import { runChecks, triageChecks } from '../../../../analysis/triage/checks/registry';
import { triageContext, type TriageCheck } from '../../../../analysis/triage/context';
import { casesDir } from '../../../helpers/paths';

const ourNets = ['198.51.100.0/24'];

async function context() {
  const bytes = new Uint8Array(readFileSync(join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt')));
  const c = await parseComplaint(bytes, { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 1, 10) });
  return triageContext(c, ['198.51.100.80'], ['192.0.2.66'], ourNets, []);
}

describe('first-look check registry', () => {
  it('lists every check once, in the order their findings are listed', () => {
    expect(triageChecks.map((c) => c.id)).toEqual([...new Set(triageChecks.map((c) => c.id))]);
    expect(triageChecks.length).toBe(6);
  });

  it('runs the checks over a real complaint: findings come back in check order', async () => {
    const ctx = await context();
    const all = runChecks(ctx);
    expect(all.length).toBeGreaterThan(0);
    const perCheck = triageChecks.map((c) => c.check(ctx));
    expect(all).toEqual(perCheck.flat());
  });

  it('a check that throws becomes a zero-strength context finding and the others still run', async () => {
    const ctx = await context();
    const broken: TriageCheck = { id: 'broken', check: () => { throw new Error('no such field'); } };
    const fine: TriageCheck = { id: 'fine', check: () => [{ id: 'x', detector: 'first-look/fine', leaning: 'context', strength: 0, summary: 'ran', evidence: [] }] };
    expect(runChecks(ctx, [broken, fine]).map((f) => [f.id, f.detector, f.leaning, f.strength, f.summary])).toEqual([
      ['check-error', 'first-look/broken', 'context', 0, 'Check broken failed: no such field'],
      ['x', 'first-look/fine', 'context', 0, 'ran'],
    ]);
  });
});
