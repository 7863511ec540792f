import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readQuotedLines } from '../../../analysis/complaint/quoted';
import { lineParsers } from '../../../analysis/ingest/text/index';
import { corpusDir } from '../../helpers/paths';

const snort = readFileSync(join(corpusDir, 'snort', 'elastic__snort_alert_fast.log'), 'utf8').split('\n').filter(Boolean).slice(0, 3);
const reference = { nearMs: Date.UTC(2016, 0, 10), zone: 'UTC' };

describe('log lines a complaint quotes', () => {
  it('three Snort alerts quoted behind "> " in prose: three events, each on its own line of the body, in the past of the mail', () => {
    const text = ['Hello,', '', 'our sensor saw this:', ...snort.map((l) => `> ${l}`), '', 'Regards'].join('\n');
    const r = readQuotedLines([{ file: 'body', text }], lineParsers, reference);
    expect(r.formats).toEqual(['snort']);
    expect(r.events.map((e) => [e.source.line, e.src, e.dst])).toEqual([
      [4, '0.0.0.0', '255.255.255.255'], [5, '192.168.88.10', '4.2.2.3'], [6, '172.25.212.245', '172.25.212.153'],
    ]);
    // "05/30-19:09:10" has no year: the May before the mail.
    expect(new Date(r.events[0].ts / 1000).toISOString()).toBe('2015-05-30T19:09:10.917Z');
    expect(r.warnings).toEqual([]);
  });

  it('reads nothing of prose, and nothing at all without parsers', () => {
    const prose = { file: 'body', text: 'We have seen a port scan from your network at 10:00 today.\nPlease stop it.\n' };
    expect(readQuotedLines([prose], lineParsers, reference).events).toEqual([]);
    expect(readQuotedLines([{ file: 'body', text: snort.join('\n') }], [], reference)).toEqual({ events: [], warnings: [], formats: [] });
  });

  it('stops at the record limit and says so; skips lines longer than the line limit', () => {
    const many = Array.from({ length: 30 }, () => snort[1]).join('\n');
    const r = readQuotedLines([{ file: 'log.txt', text: many }], lineParsers, reference, { records: 10, lineLength: 4096 } as never);
    expect(r.events).toHaveLength(10);
    expect(r.warnings).toContain('only the first 10 quoted log lines were read as events (limit 10 records)');
    expect(readQuotedLines([{ file: 'log.txt', text: snort[1] }], lineParsers, reference, { records: 10, lineLength: 50 } as never).events).toEqual([]);
  });
});
