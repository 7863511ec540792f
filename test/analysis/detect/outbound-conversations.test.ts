import { describe, expect, it } from 'vitest';
import { ConversationTable, ipv4Value } from '../../../analysis/detect/outbound-conversations';
import { PRESENCE_FROM_ROWS } from '../../../analysis/detect/sketch/presence-bits';
import { tcp } from '../../helpers/events';

describe('outbound conversation table', () => {
  it('keys IPv4 addresses by value only when the spelling is canonical (the rest are interned as written)', () => {
    expect(['0.0.0.0', '10.0.0.1', '255.255.255.255'].map(ipv4Value)).toEqual([0, 0x0a000001, 0xffffffff]);
    expect(['010.0.0.1', '1.2.3.04', '256.0.0.1', '1.2.3', '1.2.3.4.5', '::ffff:1.2.3.4', '2001:db8::1'].map(ipv4Value)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
  });

  it('an octet of 256 is no address in any of the four places; 255 is', () => {
    expect(['255.1.2.3', '1.255.2.3', '1.2.255.3', '1.2.3.255'].map(ipv4Value)).toEqual([0xff010203, 0x01ff0203, 0x0102ff03, 0x010203ff]);
    expect(['256.1.2.3', '1.256.2.3', '1.2.256.3', '1.2.3.256'].map(ipv4Value)).toEqual([-1, -1, -1, -1]);
  });

  it('takes digits only: an address with a port, an empty octet or a trailing dot is not an IPv4 address', () => {
    // ':' follows '9' in ASCII: "192.0.2.1:8" must not read as 192.0.2.208.
    expect(['192.0.2.1:8', '192.0.2.1/24', '192.0..2', '.192.0.2', '192.0.2.', '192.0.2.1 '].map(ipv4Value)).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it('the table keeps at most its limit of conversations and counts the rest', () => {
    const table = new ConversationTable((a) => a === '198.51.100.10', 1000);
    for (let i = 0; i < 5000; i++) {
      table.add(tcp({ src: `10.0.${i >> 8}.${i & 255}`, dst: '198.51.100.10', sport: 1024 + i, dport: 80, flags: 'S' }));
    }
    expect(table.size).toBe(1000);
    expect(table.overflowPackets).toBe(4000);
    expect(table.overflowConversations.count()).toBe(4000);
  });

  it('past the size where it starts keeping presence bits, every conversation it holds is still found, and new ones past its limit counted', () => {
    const limit = PRESENCE_FROM_ROWS + 4000;
    const table = new ConversationTable((a) => a === '198.51.100.10', limit);
    const syn = (i: number) => tcp({ src: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, dst: '198.51.100.10', sport: 1024 + (i % 50000), dport: 80, flags: 'S' });
    for (let i = 0; i < limit + 3000; i++) table.add(syn(i));
    // Their SYNs again: each conversation held gains a packet, each past the limit is counted again.
    for (let i = 0; i < limit + 3000; i++) table.add(syn(i));
    expect(table.size).toBe(limit);
    expect(table.overflowPackets).toBe(2 * 3000);
    expect(table.overflowConversations.count()).toBe(3000);
  });
});
