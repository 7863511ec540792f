import { describe, expect, it } from 'vitest';
import { encodeState, reviveInto, StateCodecError, type ClassTable } from '../../../analysis/util/state-codec';

class Counter {
  n = 0;
  add(k = 1): void { this.n += k; }
}

class Owner {
  readonly byKey = new Map<string, Counter>();
  readonly shared: Counter;
  readonly alias: Counter;
  seen = new Set<string>();
  bytes = new Uint32Array(4);
  /** A closure over `this`, as a constructor sets one up: it must read the revived state. */
  readonly total = (): number => [...this.byKey.values()].reduce((a, c) => a + c.n, 0);

  constructor(readonly label: string) {
    this.shared = new Counter();
    this.alias = this.shared;
  }
}

const classes: ClassTable = new Map<string, abstract new (...args: never[]) => unknown>([['Counter', Counter], ['Owner', Owner]]);

/** Through the structured clone a worker's message goes through. */
const cross = <T>(x: T): T => structuredClone(x);

describe('state codec', () => {
  it('revives class instances made while reading, keeps shared references one object and closures working on the revived state', () => {
    const a = new Owner('part');
    for (const k of ['x', 'y', 'x']) {
      const c = a.byKey.get(k) ?? new Counter();
      c.add();
      a.byKey.set(k, c);
    }
    a.shared.add(5);
    a.seen.add('x');
    a.bytes[2] = 7;
    const fresh = new Owner('part');
    const b = reviveInto(cross(encodeState(a, classes)), fresh, classes);
    expect(b).toBe(fresh);
    expect(b.byKey.get('x')).toBeInstanceOf(Counter);
    expect(b.byKey.get('x')!.n).toBe(2);
    b.byKey.get('y')!.add(10);
    expect(b.total()).toBe(13);
    expect(b.alias).toBe(b.shared);
    expect(b.shared.n).toBe(5);
    expect([...b.seen]).toEqual(['x']);
    expect([...b.bytes]).toEqual([0, 0, 7, 0]);
  });

  it('refuses a class the table lacks, on either side', () => {
    class Stranger { v = 1; }
    expect(() => encodeState({ s: new Stranger() }, classes)).toThrow(StateCodecError);
    const encoded = cross(encodeState({ c: new Counter() }, classes)) as { c: Record<string, unknown> };
    const other: ClassTable = new Map();
    expect(() => reviveInto(encoded, {}, other)).toThrow(/unknown class Counter/);
  });

  it('a function with no fresh counterpart cannot be revived', () => {
    const withFn = { pick: (x: number) => x + 1 };
    const encoded = cross(encodeState(withFn, classes));
    expect(() => reviveInto(encoded, {}, classes)).toThrow(StateCodecError);
    expect(reviveInto(encoded, { pick: (x: number) => x + 2 }, classes).pick(1)).toBe(3);
  });
});
