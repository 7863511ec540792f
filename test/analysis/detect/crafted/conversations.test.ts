import { describe, expect, it } from 'vitest';
import { ConversationFlags } from '../../../../analysis/detect/crafted/conversations';
import { PRESENCE_FROM_ROWS } from '../../../../analysis/detect/sketch/presence-bits';
import { TCP_ACK } from '../../../../analysis/events/event';

describe('crafted conversation table', () => {
  it('the conversation table: a full table counts the packets of new conversations and still updates those it has', () => {
    const t = new ConversationFlags(() => false, 2);
    expect(t.add('192.0.2.1', 1000, '192.0.2.2', 80, TCP_ACK, false, 1, 0)).toBe(0);
    expect(t.add('192.0.2.2', 80, '192.0.2.1', 1000, TCP_ACK, true, 2, 0)).toBe(1);
    // 192.0.2.2 sorts first: the packet from .3 is the row's second direction.
    expect(t.add('192.0.2.3', 1000, '192.0.2.2', 80, TCP_ACK, false, 3, 0)).toBe(3);
    expect(t.add('192.0.2.4', 1000, '192.0.2.2', 80, TCP_ACK, false, 4, 0)).toBe(-1);
    expect(t.add('192.0.2.4', 1000, '192.0.2.2', 80, TCP_ACK, false, 5, 0)).toBe(-1);
    expect(t.add('192.0.2.2', 80, '192.0.2.3', 1000, TCP_ACK, false, 6, 0)).toBe(2);
    expect(t.overflowPackets).toBe(2);
    expect([t.pkts[0], t.data[0], t.data[1], t.lastTs[1]]).toEqual([1, 0, 1, 2]);
    expect(t.direction(3)).toEqual(['192.0.2.3', 1000, '192.0.2.2', 80]);
    expect(t.direction(2)).toEqual(['192.0.2.2', 80, '192.0.2.3', 1000]);
  });

  it('past the size where it starts keeping presence bits, every conversation it holds is found again', () => {
    const limit = PRESENCE_FROM_ROWS + 4000;
    const t = new ConversationFlags(() => false, limit);
    const add = (i: number) => t.add(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 1024 + (i % 50000), '198.51.100.10', 80, TCP_ACK, false, i, 0);
    const first = Array.from({ length: limit + 3000 }, (_, i) => add(i));
    const again = Array.from({ length: limit + 3000 }, (_, i) => add(i));
    expect(again).toEqual(first);
    expect(first.filter((slot) => slot < 0)).toHaveLength(3000);
    expect(t.overflowPackets).toBe(2 * 3000);
    expect(first.filter((slot) => slot >= 0).every((slot) => t.pkts[slot] === 2)).toBe(true);
  });
});
