import { describe, expect, it } from 'vitest';
import { ConversationTable } from '../../../analysis/detect/outbound-conversations';
import { PRESENCE_FROM_ROWS } from '../../../analysis/detect/sketch/presence-bits';
import { tcp } from '../../helpers/events';

describe('outbound conversation table', () => {
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
