import { beforeEach, describe, expect, it } from 'vitest';
import {
  distinct, isRst, isSyn, isSynAck, listSome, looksBroadcast, median, mode, rate, reverseKey, seconds, sortedNums, strength, subjectTest, targetTest, tupleKey,
} from '../../../analysis/detect/common';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp } from '../../helpers/events';

beforeEach(() => resetPacketNumbers());

describe('detector helpers', () => {
  it('subjects are the accused; without accused, our networks', () => {
    const named = subjectTest(makeContext({ events: [], accused: ['198.51.100.7'], ourPrefixes: ['198.51.100.'] }));
    expect([named('198.51.100.7'), named('198.51.100.8'), named(undefined)]).toEqual([true, false, false]);
    const nets = subjectTest(makeContext({ events: [], accused: [], ourPrefixes: ['198.51.100.'] }));
    expect([nets('198.51.100.8'), nets('192.0.2.1')]).toEqual([true, false]);
  });

  it('targets are the complainant\'s addresses, or anyone when none were named', () => {
    const some = targetTest(makeContext({ events: [], accused: [], targets: ['192.0.2.1'] }));
    expect([some('192.0.2.1'), some('192.0.2.2'), some(undefined)]).toEqual([true, false, false]);
    expect(targetTest(makeContext({ events: [], accused: [] }))('203.0.113.9')).toBe(true);
  });

  it('tuple keys, directed and reversed', () => {
    const ev = tcp({ src: 'a', dst: 'b', sport: 1, dport: 2, flags: 'S' });
    expect(tupleKey(ev)).toBe('6|a|1|b|2');
    expect(reverseKey(ev)).toBe('6|b|2|a|1');
  });

  it('seconds to the millisecond and rates per second; one instant has no rate but its count', () => {
    expect(seconds(1_000_000, 3_345_678)).toBe(2.346);
    expect(rate(10, 0, 4_000_000)).toBe(2.5);
    expect(rate(7, 0, 3_000_000)).toBe(2.33);
    expect(rate(5, 1_000, 1_000)).toBe(5);
    expect(rate(3, 0, 500_000)).toBe(6);
  });

  it('lists up to 20 values, then says how many there were', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(listSome(twenty)).toBe(twenty.join(', '));
    expect(listSome([...twenty, 21])).toBe(`${twenty.join(', ')}, ... (21 in all)`);
    expect(listSome([1, 2, 3], 2)).toBe('1, 2, ... (3 in all)');
  });

  it('numbers: sorted, median of odd and even lists, distinct, mode and its share', () => {
    expect(sortedNums(new Set([10, 9, 100]))).toEqual([9, 10, 100]);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
    expect(distinct([1, 1, 2])).toBe(2);
    expect(mode(['a', 'b', 'a', 'a'])).toEqual({ value: 'a', share: 0.75 });
    expect(mode([])).toEqual({ value: undefined, share: 0 });
  });

  it('strengths are clamped to 0..1 with two decimals', () => {
    expect([strength(-0.2), strength(0.456), strength(1.7)]).toEqual([0, 0.46, 1]);
  });

  it('broadcast-looking addresses: limited broadcast and .255', () => {
    expect(['255.255.255.255', '198.51.100.255', '10.255.255.255'].map(looksBroadcast)).toEqual([true, true, true]);
    expect(['198.51.100.254', '198.51.100.25', '2001:db8::255'].map(looksBroadcast)).toEqual([false, false, false]);
  });

  it('flag tests: a SYN, a SYN-ACK, any RST', () => {
    const f = (flags: string) => tcp({ src: 'a', dst: 'b', sport: 1, dport: 2, flags });
    expect(['S', 'SA', 'R', 'RA', 'A', 'SF'].map((x) => [isSyn(f(x)), isSynAck(f(x)), isRst(f(x))])).toEqual([
      [true, false, false], [false, true, false], [false, false, true], [false, false, true], [false, false, false], [true, false, false],
    ]);
  });
});
