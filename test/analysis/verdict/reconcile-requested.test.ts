import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../analysis/detect/detector';
import { reconcile } from '../../../analysis/verdict/reconcile';

const US = '198.51.100.10';
const answer = (facts: Finding['facts']): Finding => ({
  id: 'answer-to-their-request', detector: 'requested-by-them', leaning: 'legitimate', strength: 0.8, summary: 'They asked.', evidence: [],
  facts: { host: US, unmatched: 0, unchecked: 0, shapeUnmatched: 0, complete: true, ...facts },
});
const scan = (id: string, facts: Finding['facts']): Finding => ({
  id, detector: 'outbound-scan', leaning: 'compromise', strength: 0.6, summary: 'A scan.', evidence: [], facts: { scanner: US, scanType: 'connect', ...facts },
});

describe('reconcile: outbound scans that answer requests of theirs', () => {
  const vertical = scan('outbound-port-scan', { direction: 'vertical', targets: ['203.0.113.5 (20 ports)'], probes: 20 });
  const sweep = scan('outbound-sweep', { direction: 'horizontal', ports: ['tcp/113'], targetCount: 30 });
  const ftp = answer({ kind: 'ftp-active-data', peer: '203.0.113.5', count: 20 });
  const ident = answer({ kind: 'ident-callback', peer: '203.0.113.40', count: 1 });

  it('a vertical scan whose every target had all our connections asked for is set aside, saying why', () => {
    const r = reconcile([vertical, ftp]);
    expect(r.kept).toEqual([ftp]);
    expect(r.setAside).toEqual([{ finding: vertical, why: 'every connection it counts answers a request of theirs (They asked)' }]);
  });

  it('a sweep of port 113 is set aside when that host made no ident connection unasked', () => {
    expect(reconcile([sweep, ident]).kept).toEqual([ident]);
  });

  it('ICMP backscatter to a target whose traceroute every message answered is set aside; one message unexplained keeps it', () => {
    const icmp: Finding = { id: 'icmp-backscatter', detector: 'icmp-backscatter', leaning: 'backscatter', strength: 0.85, summary: 'ICMP.', evidence: [], facts: { server: US, target: '203.0.113.5', answers: 6 } };
    const trace = answer({ kind: 'traceroute-replies', peer: '203.0.113.5', count: 6 });
    const r = reconcile([icmp, trace]);
    expect(r.kept).toEqual([trace]);
    expect(r.setAside[0].why).toBe('every message it counts answers a request of theirs (They asked)');
    for (const other of [answer({ kind: 'traceroute-replies', peer: '203.0.113.5', count: 5 }), answer({ kind: 'traceroute-replies', peer: '203.0.113.5', count: 6, unmatched: 1 }),
      answer({ kind: 'traceroute-replies', peer: '203.0.113.6', count: 6 }), answer({ kind: 'ident-callback', peer: '203.0.113.5', count: 6 })]) {
      expect(reconcile([icmp, other]).kept).toEqual([icmp, other]);
    }
  });

  it('kept: a connection to the target unasked, a target without requests, bounds reached, another host, stealth probes, another port', () => {
    const keeps: Array<[Finding, Finding]> = [
      [vertical, answer({ kind: 'ftp-active-data', peer: '203.0.113.5', unmatched: 1 })],
      [vertical, answer({ kind: 'ftp-active-data', peer: '203.0.113.5', unchecked: 3 })],
      [vertical, answer({ kind: 'ftp-active-data', peer: '203.0.113.5', complete: false })],
      [scan('outbound-port-scan', { targets: ['203.0.113.5 (20 ports)', '203.0.113.6 (15 ports)'] }), ftp],
      [vertical, answer({ kind: 'ftp-active-data', peer: '203.0.113.5', host: '198.51.100.11' })],
      [scan('outbound-port-scan', { scanType: 'FIN', targets: ['203.0.113.5 (20 ports)'] }), ftp],
      [sweep, answer({ kind: 'ident-callback', peer: '203.0.113.40', shapeUnmatched: 2 })],
      [scan('outbound-sweep', { ports: ['tcp/22'] }), ident],
      [scan('outbound-sweep', { ports: ['tcp/113', 'tcp/20'] }), ident],
    ];
    for (const [s, a] of keeps) expect(reconcile([s, a]).kept, JSON.stringify([s.facts, a.facts])).toEqual([s, a]);
  });
});
