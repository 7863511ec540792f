import { describe, expect, it } from 'vitest';
import { zeekConnParser } from '../../../../analysis/ingest/text/zeek-conn';
import { corpus, fixture, iso, readFile } from './helpers';
import { fixtureTrio } from './junk';

describe('zeek conn.log', () => {
  it('reads TSV using the #fields header', async () => {
    const { events, summary } = await readFile(zeekConnParser, fixture('zeek', 'conn.log'));
    expect(events).toHaveLength(22);
    expect(summary.skipped).toBe(8);
    expect(events[0]).toMatchObject({
      kind: 'flow', ts: 1517336042090842, src: '10.55.182.100', sport: 14291, dst: '10.233.233.5', dport: 80, proto: 6,
      flow: { pktsOut: 2, pktsIn: 0, bytesOut: 104, bytesIn: 0, state: 'S0', history: 'S', durationUs: 3000158 },
      message: 'Ci85EB2YjUI9a2eql6',
    });
    expect(events[1]).toMatchObject({ proto: 17, message: 'CVvreZ2AGtqjnP3nnl dns', flow: { state: 'SF', history: 'Dd' } });
  });

  it('follows extra columns (_node_name first) and ICMP type/code', async () => {
    const { events } = await readFile(zeekConnParser, corpus('zeek', 'rita__internet_host_2024-04-19_00h.conn.log'));
    expect(events[0]).toMatchObject({ src: '167.94.138.145', sport: 25320, dst: '64.225.56.201', dport: 6008, flow: { state: 'REJ', history: 'Sr' } });
    expect(iso(events[0].ts)).toBe('2024-04-18T23:59:55.943Z');
    const proxy = (await readFile(zeekConnParser, corpus('zeek', 'rita__proxy.conn.log'))).events;
    const icmp6 = proxy.find((e) => e.proto === 58)!;
    expect(icmp6).toMatchObject({ src: 'fe80::7809:d6ff:fee3:ff67', dst: 'ff02::2', icmp: { type: 133, code: 134 } });
  });

  it('reads JSON lines', async () => {
    const { events } = await readFile(zeekConnParser, corpus('zeek', 'rita__json_with_all_fields.conn.json.log'));
    expect(events[0]).toMatchObject({
      ts: 1517422326539915, src: '10.55.100.100', sport: 61843, dst: '205.204.101.182', dport: 80,
      flow: { pktsOut: 10, bytesOut: 1131, state: 'SF', history: 'ShADadfF' },
    });
  });

  it('keeps masked btest rows and says the time is unknown', async () => {
    const { events, diag } = await readFile(zeekConnParser, corpus('zeek', 'zeek-baseline__opt.basic.conn.log'));
    expect(events.length).toBe(34);
    expect(events[0].ts).toBe(0);
    expect(diag.counts.get('zeek_masked_ts')).toBe(34);
  });

  it('treats headers as neutral', () => {
    expect(zeekConnParser.match('#separator \\x09')).toBe(-1);
    expect(zeekConnParser.match('#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state')).toBe(1);
  });

  fixtureTrio(zeekConnParser, 'zeek', 'conn', 'log', 22);
});
