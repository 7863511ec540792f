import { describe, it } from 'vitest';
import { allCaptures } from '../../helpers/captures';
import { defineFlowDifferential } from './flow-table-differential';

/** The flow-table differential of flow-table.differential.test.ts (where the rules are documented) on every capture. */
const captures = allCaptures();

describe('the corpus is there', () => {
  it('finds the corpus captures', ({ expect }) => {
    expect(captures.length).toBeGreaterThan(90);
  });
});

defineFlowDifferential('FlowTable agrees with tshark and argus (every capture)', captures);
