import { describe, expect, it } from 'vitest';
import { confidenceCaption, confidenceText, verdictBadge } from '../../../renderer/lib/format';

describe('what a confidence is in', () => {
  it('a decided verdict carries its confidence; an inconclusive one says its number is not one', () => {
    expect(verdictBadge('compromise', 0.95)).toBe('Compromise · 95%');
    expect(verdictBadge('legitimate', 0.9)).toBe('Legitimate traffic · 90%');
    expect(verdictBadge('inconclusive', 0.8)).toBe('Inconclusive');
    expect(verdictBadge('backscatter', null)).toBe('Backscatter');
    expect(confidenceText('backscatter', 0.98)).toBe('98% confidence');
    expect(confidenceText('inconclusive', 0.8)).toBe('80% sure nothing settles it');
    expect(confidenceCaption('inconclusive')).not.toMatch(/confidence/);
  });
});
