import { describe, expect, it } from 'vitest';
import { mayHold, notePresent, presenceBits } from '../../../../analysis/detect/sketch/presence-bits';
import { fmix32 } from '../../../../analysis/detect/sketch/distinct-counter';

describe('presence bits', () => {
  it('never deny a noted hash, deny most others at half a million keys, and answer yes without bits', () => {
    const bits = presenceBits();
    const noted = Array.from({ length: 500_000 }, (_, i) => fmix32(i) | 0);
    for (const h of noted) notePresent(bits, h);
    expect(noted.every((h) => mayHold(bits, h))).toBe(true);
    const others = Array.from({ length: 100_000 }, (_, i) => fmix32(1_000_000 + i) | 0);
    const falseYes = others.filter((h) => mayHold(bits, h)).length / others.length;
    // One bit per bucket of 2^22: 1 - e^(-500000/4194304) = 11.2% of absent keys still pass.
    expect(falseYes).toBeGreaterThan(0.09);
    expect(falseYes).toBeLessThan(0.14);
    expect(mayHold(undefined, 12345)).toBe(true);
  });
});
