import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import { connState, FlowTable } from '../../../analysis/events/flow-table';

let n = 0;
function pkt(src: string, sport: number, dst: string, dport: number, flags: number, payload = 0): NetEvent {
  n++;
  return { kind: 'packet', ts: n * 1000, src, dst, sport, dport, proto: 6, tcpFlags: flags, payloadLength: payload, length: 60 + payload, source: { file: 'f', packet: n, offset: 0 } };
}

describe('FlowTable', () => {
  it('builds one bidirectional flow with Zeek-style history and state', () => {
    const t = new FlowTable();
    t.add(pkt('10.0.0.1', 4000, '10.0.0.2', 80, 0x02));
    t.add(pkt('10.0.0.2', 80, '10.0.0.1', 4000, 0x12));
    t.add(pkt('10.0.0.1', 4000, '10.0.0.2', 80, 0x10));
    t.add(pkt('10.0.0.1', 4000, '10.0.0.2', 80, 0x18, 100));
    t.add(pkt('10.0.0.2', 80, '10.0.0.1', 4000, 0x18, 1000));
    t.add(pkt('10.0.0.1', 4000, '10.0.0.2', 80, 0x11));
    t.add(pkt('10.0.0.2', 80, '10.0.0.1', 4000, 0x11));
    const [f] = t.all();
    expect(t.size).toBe(1);
    expect(f).toMatchObject({ orig: '10.0.0.1', origPort: 4000, resp: '10.0.0.2', respPort: 80, pktsOrig: 4, pktsResp: 3 });
    expect(f.history).toBe('ShADdFf');
    expect(connState(f)).toBe('SF');
  });

  it('tells a rejected attempt from an unanswered one', () => {
    const t = new FlowTable();
    t.add(pkt('1.1.1.1', 1, '2.2.2.2', 23, 0x02));
    t.add(pkt('2.2.2.2', 23, '1.1.1.1', 1, 0x14));
    t.add(pkt('1.1.1.1', 2, '2.2.2.2', 24, 0x02));
    const states = t.all().map(connState);
    expect(states).toEqual(['REJ', 'S0']);
  });

  it('calls a SYN its own sender resets, unanswered, RSTOS0 (as Zeek and argus do), not S0', () => {
    // The shape of zeek__tcp_syn-then-rst.pcap, where argus says RST and our S0 disagreed.
    const t = new FlowTable();
    t.add(pkt('1.1.1.1', 13131, '1.1.1.2', 31313, 0x02));
    t.add(pkt('1.1.1.1', 13131, '1.1.1.2', 31313, 0x04));
    const [f] = t.all();
    expect(f.history).toBe('SR');
    expect(connState(f)).toBe('RSTOS0');
  });

  it('stops creating flows at its bound but keeps counting', () => {
    const t = new FlowTable({ maxFlows: 2 });
    for (let i = 0; i < 5; i++) t.add(pkt('1.1.1.1', 1000 + i, '2.2.2.2', 80, 0x02));
    expect(t.size).toBe(2);
    expect(t.overflow).toBe(3);
  });
});
