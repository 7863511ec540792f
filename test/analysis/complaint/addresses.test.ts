import { describe, expect, it } from 'vitest';
import { findAddresses } from '../../../analysis/complaint/addresses';

describe('findAddresses', () => {
  it('validates, normalises and reads roles and ports', () => {
    const m = findAddresses('198.51.100.81:80 -> 192.0.2.10 and 999.1.1.1, version 1.2.3.4.5.6, [2001:DB8::1]:443, 12:00:01');
    expect(m.map((x) => [x.addr, x.port, x.arrow])).toEqual([
      ['198.51.100.81', 80, 'src'], ['192.0.2.10', undefined, 'dst'], ['2001:db8::1', 443, undefined],
    ]);
    const [tcpdump] = findAddresses('IP 198.51.100.5.80 > 192.0.2.7.51234: Flags [S.]');
    expect(tcpdump).toMatchObject({ addr: '198.51.100.5', port: 80, arrow: 'src' });
    const [a, b] = findAddresses('a portscan from your host 198.51.100.80 to our host 192.0.2.66');
    expect(a.accused).toBeGreaterThan(a.target);
    expect(b.target).toBeGreaterThan(b.accused);
  });
});
