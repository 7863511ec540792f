import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackWidth } from '../../../renderer/lib/track-width';

/** An element whose clientWidth the test sets, as a layout would. */
function elementOfWidth(width: { px: number }): HTMLElement {
  const el = document.createElement('div');
  Object.defineProperty(el, 'clientWidth', { get: () => width.px, configurable: true });
  return el;
}

describe('trackWidth', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reports the width at once, and only that without ResizeObserver (jsdom)', () => {
    vi.stubGlobal('ResizeObserver', undefined);
    const seen: number[] = [];
    const width = { px: 812 };
    const cleanup = trackWidth((w) => seen.push(w))(elementOfWidth(width));
    expect(seen).toEqual([812]);
    expect(cleanup).toBeUndefined();
  });

  it('reports every resize, and stops observing when the element goes', () => {
    const observers: Array<{ fire: () => void; observed: Element[]; disconnected: boolean }> = [];
    vi.stubGlobal('ResizeObserver', class {
      observed: Element[] = [];
      disconnected = false;
      constructor(private readonly cb: () => void) { observers.push(this as never); }
      fire(): void { this.cb(); }
      observe(el: Element): void { this.observed.push(el); }
      disconnect(): void { this.disconnected = true; }
    });
    const seen: number[] = [];
    const width = { px: 1230 };
    const el = elementOfWidth(width);
    const cleanup = trackWidth((w) => seen.push(w))(el);
    width.px = 1880;
    observers[0].fire();
    expect(seen).toEqual([1230, 1880]);
    expect(observers[0].observed).toEqual([el]);
    (cleanup as () => void)();
    expect(observers[0].disconnected).toBe(true);
  });
});
