import { describe, expect, it } from 'vitest';
import { leadingTime, normAddr, normalizeIPv6, offsetMinutes, portNumber, protoNumber, unmapV4, hasLeadingTime, epochToMicros } from '../../../../analysis/ingest/text/common';

const ctx = { reference: { nearMs: Date.UTC(2005, 2, 10), zone: 'UTC' }, state: {} } as never;

describe('what text log parsers share', () => {
  it('reads the leading time of the corpus\'s log styles: syslog without a year, ISO with a zone, fail2ban\'s comma, an epoch', () => {
    // fail2ban__scanlogd.log: "Mar  5 21:44:43 srv scanlogd: ..." (its failJSON says 2005-03-05T21:44:43).
    const bsd = leadingTime('Mar  5 21:44:43 srv scanlogd: 192.0.2.123 to 192.0.2.1 ports 80', ctx)!;
    expect([new Date(bsd.ts / 1000).toISOString(), bsd.inferred, bsd.end]).toEqual(['2005-03-05T21:44:43.000Z', true, 16]);
    const iso = leadingTime('2015-03-07T05:09:30.045015+02:00 host sshd[1]: x', ctx)!;
    expect([new Date(iso.ts / 1000).toISOString(), iso.inferred]).toEqual(['2015-03-07T03:09:30.045Z', false]);
    expect(iso.ts % 1000).toBe(15);
    const comma = leadingTime('2013-01-04 17:03:46,388 fail2ban.actions: WARNING [ssh] Ban 192.0.2.1', ctx)!;
    expect(new Date(comma.ts / 1000).toISOString()).toBe('2013-01-04T17:03:46.388Z');
    expect(leadingTime('1403884279.123456 portsentry', ctx)!.ts).toBe(1403884279123456);
    expect(leadingTime('1403884279.123456 portsentry', ctx, false)).toBeNull();
    expect(leadingTime('2013-06-02 09:22:06 SMTP call from x', ctx)!.end).toBe(20);
    expect(leadingTime('no time here', ctx)).toBeNull();
    expect(leadingTime('2015-13-07 05:09:30 bad month', ctx)).toBeNull();
    expect([hasLeadingTime('Mar  5 21:44:43 x'), hasLeadingTime('x Mar 5')]).toEqual([true, false]);
    expect(epochToMicros('1403884279.5')).toBe(1403884279500000);
    expect([offsetMinutes('+02:00'), offsetMinutes('-0530'), offsetMinutes('Z')]).toEqual([120, -330, 0]);
  });

  it('writes addresses as we store them: IPv6 compressed and lower case, v4-mapped unwrapped', () => {
    expect(normalizeIPv6('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(normalizeIPv6('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(unmapV4('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normAddr('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(normAddr('2001:DB8::0001')).toBe('2001:db8::1');
  });

  it('names protocols and ports as logs write them', () => {
    expect(['TCP', 'udp', 'ICMPv6', 'ipv6-icmp', 'proto:47', 'ip-proto-132', '300', 'bogus'].map(protoNumber)).toEqual([6, 17, 58, 58, 47, 132, undefined, undefined]);
    expect(['80', '0x0050', '65536', '', undefined, '8o'].map(portNumber)).toEqual([80, 80, undefined, undefined, undefined, undefined]);
  });
});
