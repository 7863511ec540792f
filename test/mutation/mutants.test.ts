import { describe, expect, it } from 'vitest';
import { apply, isCapacity, mutantsOf, shifted } from './mutants';

const source = [
  'const MIN_HITS = 5;',
  'const label = 3;',
  'export function f(n: number) {',
  '  if (n >= 12) return { summary: `${n} short connections to the login service` };',
  '  return { explanation: \'nothing to see\' };',
  '}',
].join('\n');

describe('mutation check mutants', () => {
  it('moves thresholds to a value a boundary test tells apart', () => {
    expect(shifted('5')).toBe('6');
    expect(shifted('3_000_000')).toBe('6000000');
    expect(shifted('0.5')).toBe('0.75');
    expect(shifted('0')).toBe('1');
  });

  it('finds upper-case constants, compared literals and message words, not other numbers', () => {
    const ms = mutantsOf('x.ts', source);
    expect(ms.map((m) => [m.line, m.kind, m.before, m.after])).toEqual([
      [1, 'threshold', '5', '6'],
      [4, 'comparison', '12', '13'],
      [4, 'message', '} short connections to the login service`', '} `'],
      [5, 'message', "'nothing to see'", "''"],
    ]);
  });

  it('tells memory bounds from rules named MAX_', () => {
    expect(isCapacity('MAX_CONVERSATIONS', '500_000')).toBe(true);
    expect(isCapacity('MAX_FINGERPRINTS', '64')).toBe(true);
    expect(isCapacity('MAX_MEDIAN_SESSION_S', '30')).toBe(false);
    expect(isCapacity('MAX_FLOOD_COMPLETION', '0.2')).toBe(false);
    expect(isCapacity('SCANLOGD_MAX_PORTS', '20')).toBe(false);
    expect(isCapacity('INITIAL_ROWS', '1024')).toBe(true);
    expect(isCapacity('INITIAL_DELAY_S', '5')).toBe(false);
  });

  it('applies one edit and leaves the rest of the source as it was', () => {
    const [m] = mutantsOf('x.ts', source);
    expect(apply(source, m)).toBe(source.replace('MIN_HITS = 5', 'MIN_HITS = 6'));
  });
});
