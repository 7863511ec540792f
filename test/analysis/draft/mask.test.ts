import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { excerpt } from '../../../analysis/detect/excerpt';
import { maskIpv4, maskIpv6, maskThirdParties } from '../../../analysis/draft/mask';
import { loadEvents } from '../../helpers/load-events';
import { casesDir } from '../../helpers/paths';

describe('third parties masked in a reply', () => {
  it('seed001 flood: the forged sources are masked, our server and the complainant (and its /24) are shown', async () => {
    const events = (await loadEvents(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap'))).slice(0, 200);
    const text = events.map(excerpt).join('\n');
    const masked = maskThirdParties(text, ['198.51.100.80', '192.0.2.66']);
    const shown = new Set(masked.match(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g));
    for (const a of shown) expect(a === '198.51.100.80' || a.startsWith('192.0.2.'), a).toBe(true);
    const forged = events.map((e) => e.src!).filter((s) => s !== '198.51.100.80' && !s.startsWith('192.0.2.'));
    expect(new Set(forged).size).toBeGreaterThan(50);
    for (const s of forged.slice(0, 20)) expect(masked).toContain(maskIpv4(s));
  });

  it('masks IPv6 outside the kept /64, leaves MAC addresses and times alone', () => {
    const text = 'from 2001:db8:1:2::99 and 2001:db8:ffff::1 via 00:1b:21:ab:cd:ef at 12:00:01';
    expect(maskThirdParties(text, ['2001:db8:1:2::1'])).toBe('from 2001:db8:1:2::99 and 2001:db8:ffff:x:x via 00:1b:21:ab:cd:ef at 12:00:01');
    expect(maskIpv6('2001:db8:ffff::1')).toBe('2001:db8:ffff:x:x');
    expect(maskIpv4('203.0.113.7')).toBe('203.0.x.x');
    expect(maskThirdParties('version 1.2.3.456 of x', [])).toBe('version 1.2.3.456 of x');
  });
});
