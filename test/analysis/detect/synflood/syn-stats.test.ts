import { describe, expect, it } from 'vitest';
import { isFlood, MAX_FLOOD_COMPLETION, MIN_FLOOD_SOURCES, PortSyns, ServerSyns, floodFinding, untrackedFinding } from '../../../../analysis/detect/synflood/syn-stats';
import { TCP_ACK, TCP_SYN, type NetEvent } from '../../../../analysis/events/event';
import { borderEvents, SERVER } from './border';

function serverSyns(events: NetEvent[]): ServerSyns {
  const s = new ServerSyns();
  for (const e of events) {
    if (e.dst !== SERVER || e.proto !== 6 || e.dport === undefined) continue;
    const f = e.tcpFlags ?? 0;
    if ((f & (TCP_SYN | TCP_ACK)) === TCP_SYN) s.addSyn(e);
    else if (f & TCP_ACK) s.addFollowUp(e);
  }
  return s;
}

describe('SYN statistics of a server', () => {
  it('seed001 www-border: 1,716 SYNs to port 80 from 1,580 sources, TTLs 30-249, one fingerprint, no handshake completed (as tshark counts)', async () => {
    const s = serverSyns(await borderEvents());
    const [p80] = s.portsInTimeOrder();
    expect([p80.port, p80.syns, p80.sourceCount(), s.inboundSyns]).toEqual([80, 1716, 1580, 1716]);
    expect(p80.topFingerprint()).toEqual({ value: 'win 512, no options', share: 1 });
    const c = s.completion(p80);
    expect(c).toEqual({ attempts: 1716, completed: 0 });
    expect(isFlood(p80, c)).toBe(true);
    const f = floodFinding(SERVER, p80, c);
    expect(f.facts).toMatchObject({ server: SERVER, port: 80, syns: 1716, sources: 1580, completed: 0, ttlDistinct: 220, fingerprintShare: 100 });
    expect(f.summary).toMatch(/^198\.51\.100\.80 port 80 received a SYN flood: 1716 SYNs from 1580 different source addresses in \d+\.\d s/);
    expect(f.explanation).toContain('220 different TTL values (30-249) and 100% share one fingerprint (win 512, no options)');
    expect(f.evidence).toHaveLength(6);
  });

  it('halves merged, either way, count as one pass', async () => {
    const events = await borderEvents();
    const one = serverSyns(events).portsInTimeOrder()[0];
    const mid = events.length >> 1;
    for (const [a, b] of [[events.slice(0, mid), events.slice(mid)], [events.slice(mid), events.slice(0, mid)]]) {
      const x = serverSyns(a);
      x.merge(serverSyns(b));
      const p = x.portsInTimeOrder()[0];
      expect([p.syns, p.sourceCount(), p.firstTs, p.lastTs, [...p.ttl]]).toEqual([one.syns, one.sourceCount(), one.firstTs, one.lastTs, [...one.ttl]]);
    }
  });

  it(`a flood needs ${MIN_FLOOD_SOURCES} sources and fewer than ${MAX_FLOOD_COMPLETION * 100}% of handshakes completed`, () => {
    const port = (sources: number) => {
      const p = new PortSyns(80);
      for (let i = 0; i < sources; i++) p.add({ kind: 'packet', ts: i, src: `203.0.113.${i}`, dst: SERVER, dport: 80, proto: 6, tcpFlags: TCP_SYN, source: { file: 'x', offset: i } });
      return p;
    };
    expect(isFlood(port(20), { attempts: 20, completed: 3 })).toBe(true);
    expect(isFlood(port(19), { attempts: 19, completed: 0 })).toBe(false);
    expect(isFlood(port(20), { attempts: 20, completed: 4 })).toBe(false);
  });

  it('says what it counted past its port bound', () => {
    const f = untrackedFinding(SERVER, 'SYNs', 1200, 30);
    expect(f).toMatchObject({ id: 'syn-ports-beyond-bound', leaning: 'context', strength: 0, bound: true, facts: { untracked: 1200, untrackedPorts: 30, fromFlowRecords: false } });
    expect(f.summary).toBe('1200 SYNs to 30 further ports of 198.51.100.80 were counted but not analysed port by port: the detector follows at most 2048 ports per server (the first reached).');
  });
});
