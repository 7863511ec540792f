import { describe, expect, it } from 'vitest';
import { isFromEngine, isToEngine, PROGRESS_INTERVAL_MS } from '../../../electron/common/engine-protocol';

describe('messages to and from the engine process', () => {
  it('tells a job or a cancel to the engine from anything else', () => {
    expect(isToEngine({ seq: 1, type: 'run', job: { kind: 'analyze' } })).toBe(true);
    expect(isToEngine({ seq: 1, type: 'cancel' })).toBe(true);
    for (const bad of [null, 'run', { type: 'run', job: { kind: 'analyze' } }, { seq: 1, type: 'run' }, { seq: 1, type: 'run', job: {} }, { seq: '1', type: 'cancel' }, { seq: 1, type: 'exit' }]) {
      expect(isToEngine(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('tells the engine\'s progress, result and error from anything else', () => {
    for (const type of ['progress', 'result', 'error']) expect(isFromEngine({ seq: 3, type })).toBe(true);
    for (const bad of [undefined, { seq: 3 }, { type: 'result' }, { seq: 3, type: 'run' }]) expect(isFromEngine(bad)).toBe(false);
  });

  it('paces progress at least four times a second even with late timers', () => {
    expect(1000 / PROGRESS_INTERVAL_MS).toBeGreaterThan(5);
  });
});
