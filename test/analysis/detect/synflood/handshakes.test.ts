import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientKey, clientKeyOf, HandshakeTable, MAX_HANDSHAKE_TUPLES } from '../../../../analysis/detect/synflood/handshakes';
import { TCP_ACK, TCP_SYN, type NetEvent } from '../../../../analysis/events/event';
import { loadEvents } from '../../../helpers/load-events';
import { casesDir, corpusDir } from '../../../helpers/paths';

function table(events: NetEvent[], server: string): HandshakeTable {
  const t = new HandshakeTable();
  for (const e of events) {
    if (e.dst !== server || e.proto !== 6 || e.dport === undefined) continue;
    const f = e.tcpFlags ?? 0;
    if ((f & (TCP_SYN | TCP_ACK)) === TCP_SYN) t.attempt(e.dport, clientKey(e.src!, e.sport));
    else if (f & TCP_ACK) t.followUp(e.dport, clientKey(e.src!, e.sport));
  }
  return t;
}

describe('completed handshakes', () => {
  it('zeek ftp_bruteforce: all 30 FTP sessions completed, read forwards or backwards', async () => {
    const events = await loadEvents(join(corpusDir, 'pcap', 'zeek__ftp_bruteforce.pcap'));
    expect(table(events, '192.168.56.101').completion(21, 30)).toEqual({ attempts: 30, completed: 30 });
    expect(table([...events].reverse(), '192.168.56.101').completion(21, 30)).toEqual({ attempts: 30, completed: 30 });
  });

  it('evilfingers TCP connect scan: completions on the ports the scanner acknowledged (135, 139, 5000), not on 445 and 1025 whose SYN-ACKs it left unanswered (as tshark shows)', async () => {
    const events = await loadEvents(join(corpusDir, 'pcap', 'evilfingers__TCP_CONNECT_SCAN.pcap'));
    const t = table(events, '192.168.1.25');
    const ports = [...new Set(events.filter((e) => e.dst === '192.168.1.25' && e.dport !== undefined).map((e) => e.dport!))];
    expect(ports.filter((p) => t.completion(p, 1e9).completed > 0).sort((a, b) => a - b)).toEqual([135, 139, 5000]);
    expect(t.exact).toBe(true);
  });

  it('a flood past the bound is sampled on its port only; a quiet port beside it stays exact', () => {
    const t = new HandshakeTable();
    const n = 3 * MAX_HANDSHAKE_TUPLES;
    for (let i = 0; i < n; i++) {
      const key = clientKey(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1024 + (i % 1000));
      t.attempt(80, key);
      if (i % 10 === 0) t.followUp(80, key);
    }
    for (let i = 0; i < 50; i++) { t.attempt(22, clientKey('192.0.2.9', 40000 + i)); t.followUp(22, clientKey('192.0.2.9', 40000 + i)); }
    expect(t.size.attempts).toBeLessThanOrEqual(MAX_HANDSHAKE_TUPLES);
    expect(t.completion(22, 50)).toEqual({ attempts: 50, completed: 50 });
    const c80 = t.completion(80, n);
    expect(c80.sampled).toBeGreaterThan(0);
    expect(Math.abs(c80.attempts - n) / n).toBeLessThan(0.1);
    expect(Math.abs(c80.completed / c80.attempts - 0.1)).toBeLessThan(0.02);
  });

  it('client keys: a dotted IPv4 address and port as one number, anything else as text', () => {
    expect(clientKey('192.0.2.1', 80)).toBe((0xc0000201 * 65536) + 80);
    expect(clientKey('2001:db8::1', 80)).toBe('2001:db8::1|80');
    expect(clientKey('192.0.2.256', 80)).toBe('192.0.2.256|80');
    expect(clientKey('192.0.2.1', undefined)).toBe('192.0.2.1|undefined');
  });
});

describe('client keys from events', () => {
  it("take the decoder's number for an IPv4 source, the very key the dotted text gives; IPv6 and text records fall back to the text", async () => {
    const events = await loadEvents(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap'));
    const tcp = events.filter((e) => e.src4 !== undefined && e.sport !== undefined);
    expect(tcp.length).toBeGreaterThan(6000);
    for (const e of tcp) expect(clientKeyOf(e)).toBe(clientKey(e.src!, e.sport));
    expect(clientKeyOf({ src: '2001:db8::1', sport: 443 })).toBe('2001:db8::1|443');
    expect(clientKeyOf({ src: '192.0.2.7', sport: 22 })).toBe(clientKey('192.0.2.7', 22));
  });
});

describe('attemptV4', () => {
  it('keeps the very sample attempt() keeps for the same clients, past the bound', () => {
    const byKey = new HandshakeTable();
    const byParts = new HandshakeTable();
    let x = 0x12345678;
    for (let i = 0; i < MAX_HANDSHAKE_TUPLES * 3; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const src4 = x, sport = i & 0xffff;
      byKey.attempt(80, src4 * 65536 + sport);
      byParts.attemptV4(80, src4, sport);
      if (i % 7 === 0) { byKey.followUp(80, src4 * 65536 + sport); byParts.followUp(80, src4 * 65536 + sport); }
    }
    expect(byParts.exact).toBe(false);
    expect(byParts.size).toEqual(byKey.size);
    expect(byParts.completion(80, MAX_HANDSHAKE_TUPLES * 3)).toEqual(byKey.completion(80, MAX_HANDSHAKE_TUPLES * 3));
  });
});
