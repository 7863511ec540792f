import { describe, it } from 'vitest';
import { allCaptures } from '../../../helpers/captures';
import { definePacketDifferential } from './differential-check';

/** The packet differential of differential.test.ts on every capture of the corpus, the cases and our fixtures. */
const captures = allCaptures();

describe('the corpus is there', () => {
  it('finds the corpus captures', ({ expect }) => {
    expect(captures.length).toBeGreaterThan(90);
  });
});

definePacketDifferential('capture reading agrees with tshark (every capture)', captures);
