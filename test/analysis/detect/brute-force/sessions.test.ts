import { describe, expect, it } from 'vitest';
import { SessionTable, packetSession, sessionKey, type OpenSession } from '../../../../analysis/detect/brute-force/sessions';
import { IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_SYN, type NetEvent } from '../../../../analysis/events/event';

const US = '198.51.100.90';
const THEM = '192.0.2.10';

describe('the open-session table', () => {
  it('finishes closed and idle sessions when full, then evicts the longest idle and counts them', () => {
    const retired: OpenSession[] = [];
    const table = new SessionTable((s) => retired.push(s), 100);
    const add = (i: number, ts: number, flags: number, outbound = true): void => {
      const ev: NetEvent = { kind: 'packet', ts: ts * 1e6, src: US, dst: THEM, sport: 30000 + i, dport: 22, proto: IPPROTO_TCP, tcpFlags: flags, source: { file: 'x.pcap', offset: i } };
      table.add(ev, `k${i}`, US, THEM, 22, outbound);
    };
    // 100 sessions opened at t=0..99 s; the first 50 closed by FINs both ways.
    for (let i = 0; i < 100; i++) {
      add(i, i, TCP_SYN);
      if (i < 50) { add(i, i + 1, TCP_FIN | TCP_ACK); add(i, i + 1, TCP_FIN | TCP_ACK, false); }
    }
    expect(table.open.size).toBe(100);
    // At t=120 s the sessions closed more than 60 s before (opened at 0..58) are finished; none is idle for 600 s.
    add(100, 120, TCP_SYN);
    expect(retired.length).toBe(50);
    expect(table.evicted).toBe(0);
    // Fill up again within the same second: nothing is closed or idle, so the quarter idle longest goes.
    for (let i = 101; table.open.size < 100; i++) add(i, 120, TCP_SYN);
    const before = retired.length;
    add(1000, 120.5, TCP_SYN);
    expect(table.evicted).toBe(25);
    expect(retired.length - before).toBe(25);
    expect(table.open.size).toBeLessThanOrEqual(100);
  });

  const packet = (ts: number, flags: number, out: boolean, payloadLength = 0): NetEvent => ({
    kind: 'packet', ts: ts * 1e6, src: out ? US : THEM, dst: out ? THEM : US, sport: out ? 40000 : 22, dport: out ? 22 : 40000,
    proto: IPPROTO_TCP, tcpFlags: flags, payloadLength, source: { file: 'x.pcap', offset: ts },
  });

  it('a session split over two tables merges into the one pass: opened by our SYN, answered, refused twice', () => {
    const events: Array<[NetEvent, boolean, { failure?: string; success?: boolean }?]> = [
      [packet(10, TCP_SYN, true), true], [packet(10.1, TCP_SYN | TCP_ACK, false), false],
      [packet(12, TCP_ACK, false, 30), false, { failure: 'ssh-auth-failed' }], [packet(15, TCP_ACK, false, 30), false, { failure: 'ssh-auth-failed' }],
      [packet(16, TCP_FIN | TCP_ACK, true), true],
    ];
    const one: OpenSession[] = [];
    const whole = new SessionTable((s) => one.push(s));
    for (const [ev, out, reply] of events) whole.add(ev, 'k', US, THEM, 22, out, reply);
    whole.drain();
    for (const cut of [1, 2, 4]) {
      const got: OpenSession[] = [];
      const a = new SessionTable((s) => got.push(s)), b = new SessionTable((s) => got.push(s));
      events.forEach(([ev, out, reply], i) => (i < cut ? b : a).add(ev, 'k', US, THEM, 22, out, reply));
      a.merge(b);
      a.drain();
      expect(packetSession(got[0])).toEqual(packetSession(one[0]));
    }
    expect(packetSession(one[0])).toMatchObject({ startTs: 10e6, endTs: 16e6, seconds: 6, attempt: true, packets: 5, bytes: 60 });
    expect(one[0].failureKinds).toEqual(['ssh-auth-failed']);
  });

  it('a login that worked is no attempt, and a session whose SYN we never saw is not counted', () => {
    const done: OpenSession[] = [];
    const t = new SessionTable((s) => done.push(s));
    t.add(packet(1, TCP_SYN, true), 'ok', US, THEM, 22, true);
    t.add(packet(1.1, TCP_SYN | TCP_ACK, false), 'ok', US, THEM, 22, false);
    t.add(packet(2, TCP_ACK, false, 10), 'ok', US, THEM, 22, false, { success: true });
    t.add(packet(5, TCP_ACK, false, 10), 'mid', US, THEM, 22, false, { failure: 'ftp-530' });
    t.drain();
    const byKey = (k: string) => done.find((s) => (k === 'ok' ? s.syn : !s.syn))!;
    expect(packetSession(byKey('ok'))!.attempt).toBe(false);
    expect(packetSession(byKey('mid'))).toBeUndefined();
  });
});

describe('sessionKey', () => {
  const v4 = (s: string) => s.split('.').reduce((v, o) => v * 256 + Number(o), 0);
  it('tells IPv4 sessions apart by every address bit and port, high ones included', () => {
    const keys = new Set<string>();
    const addrs = ['0.0.0.0', '255.255.255.255', '128.0.0.0', '0.0.128.0', '198.51.100.90', '198.51.100.91'];
    const ports = [0, 1, 32768, 65535];
    for (const a of addrs) for (const b of addrs) for (const p of ports) for (const q of ports) keys.add(sessionKey(a, v4(a), p, b, v4(b), q));
    expect(keys.size).toBe(addrs.length ** 2 * ports.length ** 2);
  });

  it('keys an address without its IPv4 value by text, which no IPv4 key can equal', () => {
    const text = sessionKey('2001:db8::1', undefined, 40000, '2001:db8::2', undefined, 22);
    expect(text).toBe('2001:db8::1|40000|2001:db8::2|22');
    expect(sessionKey(US, v4(US), 40000, THEM, v4(THEM), 22)).toHaveLength(6);
  });
});
