import { describe, expect, it } from 'vitest';
import { decodeFlags, scanlogdParser } from '../../../../analysis/ingest/text/scanlogd';
import { fixture, iso, readFile } from './helpers';
import { fixtureTrio } from './junk';

describe('scanlogd', () => {
  it('reads the summaries, skipping failJSON comments', async () => {
    const { events, summary } = await readFile(scanlogdParser, fixture('scanlogd', 'scanlogd.log'));
    expect(events).toHaveLength(4);
    expect(summary.skipped).toBe(4);
    expect(events[0]).toMatchObject({
      kind: 'alert', src: '192.0.2.123', dst: '192.0.2.1', proto: 6, ports: [80, 81, 83, 88, 99, 443, 1080, 3128], count: 8, ttl: 49,
      source: { line: 2 },
    });
    expect(events[0].tcpFlags).toBeUndefined(); // f????uxy: flags varied
    expect(events[0].message).toContain('SYN-RST-PSH-ACK varying');
    expect(events[1]).toMatchObject({ tcpFlags: 0x02, ports: [497, 515, 544, 543, 464, 513] });
    expect(events[1].ttl).toBeUndefined();
    expect(events[1].message).toBe('port scan of 6+ ports, flags SYN, started 09:04:25');
    expect(iso(events[0].ts)).toBe('2024-03-05T21:44:43.000Z');
  });

  it('decodes the flag letters (upper = always set, lower = never, ? = varied)', () => {
    expect(decodeFlags('fSrpauxy')).toMatchObject({ always: 0x02, sometimes: 0 });
    expect(decodeFlags('FSRPAUXY').always).toBe(0xff);
    expect(decodeFlags('fsrpauxy')).toMatchObject({ always: 0, text: 'none' });
  });

  it('matches only scanlogd lines', () => {
    expect(scanlogdParser.match('# failJSON: { "time": "2005-03-05T21:44:43" }')).toBe(-1);
    expect(scanlogdParser.match('Feb 25 14:34:10 belka sshd[31602]: Failed password for invalid user ROOT from 194.117.26.69 port 50273 ssh2')).toBe(0);
  });

  fixtureTrio(scanlogdParser, 'scanlogd', 'scanlogd', 'log', 4);
});
