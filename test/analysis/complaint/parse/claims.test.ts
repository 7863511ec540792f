import { describe, expect, it } from 'vitest';
import { emptyFacts } from '../../../../analysis/complaint/facts';
import { complaintClaims, eventProtocol } from '../../../../analysis/complaint/parse/claims';
import { icmp, tcp, udp } from '../../../helpers/events';

const base = { bodyText: '', allText: '', reports: [], quotedEvents: [], quotedFormats: [] };

describe('what they say we did', () => {
  it('the words: activity, protocol, the count and the sensor', () => {
    const text = 'Our scanlogd detected a port scan from 198.51.100.7: 21 ports scanned (tcp).';
    expect(complaintClaims({ ...base, subject: 'Portscan', bodyText: text, allText: text })).toEqual({ activity: 'port-scan', protocol: 'tcp', claimedCount: 21, sensor: 'scanlogd' });
  });

  it('without words, a report\'s fields, then the quoted lines', () => {
    const report = { ...emptyFacts('xarf-json'), activity: 'brute-force' as const, protocol: 'udp' as const, count: 7, sensor: 'fail2ban' };
    expect(complaintClaims({ ...base, reports: [report] })).toMatchObject({ activity: 'brute-force', protocol: 'udp', claimedCount: 7, sensor: 'fail2ban' });
    const quoted = [udp({ src: '198.51.100.7', dst: '203.0.113.9', sport: 1, dport: 2, ts: 1 })];
    expect(complaintClaims({ ...base, quotedEvents: quoted, quotedFormats: ['snort'] })).toMatchObject({ protocol: 'udp', sensor: 'snort', claimedCount: undefined });
  });

  it('eventProtocol: the first quoted line with a protocol', () => {
    expect(eventProtocol([icmp({ src: 'a', dst: 'b', type: 8, ts: 1 }), tcp({ src: 'a', dst: 'b', sport: 1, dport: 2, ts: 2 })])).toBe('icmp');
    expect(eventProtocol([])).toBeUndefined();
  });
});
