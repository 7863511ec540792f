import { describe, expect, it } from 'vitest';
import { TupleMap } from '../../../analysis/detect/tuple-map';

describe('TupleMap', () => {
  it('tells tuples apart by every field, and a tuple from its reverse', () => {
    const m = new TupleMap<string>();
    m.add(6, '10.0.0.1', 40000, '10.0.0.2', 80, 'a');
    expect(m.get(6, '10.0.0.1', 40000, '10.0.0.2', 80)).toBe('a');
    expect(m.get(6, '10.0.0.2', 80, '10.0.0.1', 40000)).toBeUndefined();
    expect(m.get(17, '10.0.0.1', 40000, '10.0.0.2', 80)).toBeUndefined();
    expect(m.get(6, '10.0.0.1', 40001, '10.0.0.2', 80)).toBeUndefined();
    expect(m.get(6, '10.0.0.1', 40000, '10.0.0.2', 81)).toBeUndefined();
    expect(m.get(6, '10.0.0.1', 40000, '10.0.0.3', 80)).toBeUndefined();
  });

  it('keeps every pair of ports apart, high ports and missing ones included', () => {
    const m = new TupleMap<number>();
    const ports: Array<number | undefined> = [undefined, 0, 1, 255, 256, 32767, 32768, 65535];
    let n = 0;
    for (const s of ports) for (const d of ports) m.add(6, 'a', s, 'b', d, n++);
    expect(m.size).toBe(ports.length ** 2);
    n = 0;
    for (const s of ports) for (const d of ports) expect(m.get(6, 'a', s, 'b', d)).toBe(n++);
  });

  it('gives values in the order their tuples were first added, and refuses a second add', () => {
    const m = new TupleMap<string>();
    m.add(17, 'x', 1, 'y', 2, 'first');
    m.add(6, 'x', 1, 'y', 2, 'second');
    m.add(17, 'a', 1, 'y', 2, 'third');
    expect([...m.values()]).toEqual(['first', 'second', 'third']);
    expect(() => m.add(6, 'x', 1, 'y', 2, 'again')).toThrow(/already set/);
    expect(m.has(6, 'x', 1, 'y', 2)).toBe(true);
  });
});
