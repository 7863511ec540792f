import { describe, expect, it } from 'vitest';
import { notAHost } from '../../../analysis/util/prefix-edges';

describe('notAHost', () => {
  it('names the network and broadcast addresses of our prefixes', () => {
    expect(notAHost('198.51.100.255', ['198.51.100.0/24'])).toBe('the broadcast address of our network 198.51.100.0/24');
    expect(notAHost('198.51.100.0', ['192.0.2.0/24', '198.51.100.0/24'])).toBe('the network address of our network 198.51.100.0/24');
    expect(notAHost('198.51.100.127', ['198.51.100.0/25'])).toBe('the broadcast address of our network 198.51.100.0/25');
    // Written with host bits set, the prefix still has its edges.
    expect(notAHost('198.51.100.255', ['198.51.100.7/24'])).toBe('the broadcast address of our network 198.51.100.7/24');
  });

  it('leaves hosts alone: inside a prefix, /31 and /32 links, IPv6, other networks\' .255', () => {
    expect(notAHost('198.51.100.90', ['198.51.100.0/24'])).toBeNull();
    expect(notAHost('198.51.100.255', ['198.51.100.0/23'])).toBeNull();
    expect(notAHost('198.51.100.1', ['198.51.100.0/31'])).toBeNull();
    expect(notAHost('198.51.100.9', ['198.51.100.9/32', '198.51.100.9'])).toBeNull();
    expect(notAHost('2001:db8::', ['2001:db8::/64'])).toBeNull();
    expect(notAHost('203.0.113.255', ['198.51.100.0/24'])).toBeNull();
    expect(notAHost('not an address', ['198.51.100.0/24', 'junk'])).toBeNull();
  });

  it('without our networks, the accused host\'s /24 stands for them', () => {
    expect(notAHost('198.51.100.255', [], ['198.51.100.90'])).toBe('the broadcast address of 198.51.100.0/24, the accused host\'s /24');
    expect(notAHost('198.51.100.255', [])).toBeNull();
    // Our networks known: only they count.
    expect(notAHost('203.0.113.255', ['198.51.100.0/24'], ['203.0.113.7'])).toBeNull();
  });

  it('multicast and the limited broadcast are never a host', () => {
    expect(notAHost('224.0.0.251', [])).toMatch(/multicast/);
    expect(notAHost('ff02::1', [])).toMatch(/multicast/);
    expect(notAHost('255.255.255.255', [])).toMatch(/limited broadcast/);
  });
});
