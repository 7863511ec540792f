import { describe, expect, it } from 'vitest';
import { outboundScan } from '../../../analysis/detect/outbound-scan';
import { streamSubject } from '../../../analysis/detect/stream-subject';
import type { NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { tcp } from '../../helpers/events';

/**
 * A streaming detector speaks for the accused addresses when the complaint
 * names any, one included, and for all our networks only when it names none.
 */
const ourNet = '198.51.100.';
const isOurs = (a: string): boolean => a.startsWith(ourNet);

describe('streamSubject', () => {
  it('one accused address: that address only, not our other hosts', () => {
    const subject = streamSubject({ accused: ['198.51.100.7'], isOurs });
    expect(['198.51.100.7', '198.51.100.8', '192.0.2.1', undefined].map(subject)).toEqual([true, false, false, false]);
    // As a decoder makes it: the same text in another string.
    expect(subject([198, 51, 100, 7].join('.'))).toBe(true);
    expect(streamSubject({ accused: ['198.51.100.7', '198.51.100.7'], isOurs })('198.51.100.7')).toBe(true);
  });

  it('two accused addresses: both', () => {
    const subject = streamSubject({ accused: ['198.51.100.7', '198.51.100.8'], isOurs });
    expect(['198.51.100.7', '198.51.100.8', '198.51.100.9'].map(subject)).toEqual([true, true, false]);
  });

  it('none accused: every address of ours', () => {
    const subject = streamSubject({ accused: [], isOurs });
    expect(['198.51.100.7', '198.51.100.200', '192.0.2.1', undefined].map(subject)).toEqual([true, true, false, false]);
  });

  it('outbound-scan with one accused host reports its scan, not the scan another host of ours ran at the same time', () => {
    const scan = (src: string, from: number): NetEvent[] => Array.from({ length: 20 }, (_, i) => tcp({ src, dst: '192.0.2.40', sport: 40000, dport: 1 + i, flags: 'S', ts: from + i * 0.1 }));
    const events = [...scan('198.51.100.7', 100), ...scan('198.51.100.8', 100.05)];
    const scanners = (accused: string[]): unknown[] => outboundScan.detect(makeContext({ events, accused, ourPrefixes: [ourNet] })).map((f) => f.facts?.scanner);
    expect(scanners(['198.51.100.7'])).toEqual(['198.51.100.7']);
    expect(scanners([])).toEqual(['198.51.100.7', '198.51.100.8']);
  });
});
