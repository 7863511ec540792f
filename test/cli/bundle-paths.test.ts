import { describe, expect, it } from 'vitest';
import { engineEntry, packageRoot, runningFromBundle } from '../../cli/bundle-paths';
import { repoRoot } from '../helpers/paths';

describe('where the CLI finds its package', () => {
  it('from the sources: the package root is the checkout, the engine is the TypeScript entry (no bundle)', () => {
    expect(runningFromBundle).toBe(false);
    expect(packageRoot()).toBe(repoRoot);
    expect(engineEntry()).toBeUndefined();
  });
});
