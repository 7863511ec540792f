import { describe, expect, it } from 'vitest';
import { LINKTYPE_NAMES, linkTypeName } from '../../../../analysis/ingest/capture/frame';
import { knownLinkType } from '../../../../analysis/decode/registry';

describe('captured frames', () => {
  it('names the link types we decode as tcpdump.org does, and any other by its number', () => {
    expect([linkTypeName(1), linkTypeName(113), linkTypeName(276), linkTypeName(239)]).toEqual(['ETHERNET', 'LINUX_SLL', 'LINUX_SLL2', 'NFLOG']);
    expect(linkTypeName(147)).toBe('LINKTYPE_147');
  });

  it('has a name for every link type a decoder exists for, and for no other', () => {
    const named = Object.keys(LINKTYPE_NAMES).map(Number);
    expect(named.every(knownLinkType)).toBe(true);
    expect([0, 1, 101, 108, 113, 228, 229, 239, 276].filter((t) => !named.includes(t))).toEqual([]);
  });
});
