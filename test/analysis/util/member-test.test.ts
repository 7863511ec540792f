import { describe, expect, it } from 'vitest';
import { memberTest } from '../../../analysis/util/member-test';

/** Built as a decoder builds an address: the same text in a string of its own. */
const built = (a: string): string => a.split('.').map(Number).join('.');

describe('memberTest', () => {
  it.each([
    ['none', [] as string[]],
    ['one', ['198.51.100.7']],
    ['one, twice', ['198.51.100.7', '198.51.100.7']],
    ['two', ['198.51.100.7', '203.0.113.9']],
    ['three', ['198.51.100.7', '203.0.113.9', '2001:db8::1']],
    ['four', ['198.51.100.7', '203.0.113.9', '2001:db8::1', '192.0.2.33']],
    ['six', ['198.51.100.7', '203.0.113.9', '2001:db8::1', '192.0.2.33', '192.0.2.34', '192.0.2.35']],
  ])('%s: members by their text, nothing else, never undefined', (_name, values) => {
    const test = memberTest(values);
    for (const v of values) expect(test(v.includes(':') ? v : built(v))).toBe(true);
    for (const other of ['198.51.100.70', '198.51.100.', '', '203.0.113.90', '2001:db8::2']) expect(test(other)).toBe(false);
    expect(test(undefined)).toBe(false);
  });
});
