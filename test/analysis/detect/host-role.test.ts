import { describe, expect, it } from 'vitest';
import { hostRole } from '../../../analysis/detect/host-role';
import { parseInventory } from '../../../analysis/triage/inventory';
import { makeContext } from '../../helpers/context';

describe('host-role', () => {
  it('names what the inventory says the accused host is, most specific entry first', () => {
    const { inventory } = parseInventory('198.51.100.0/24  customer VPS range\n198.51.100.53  resolver  53/udp,53\n');
    const ctx = { ...makeContext({ events: [], accused: ['198.51.100.53', '198.51.100.77'] }), inventory };
    const found = hostRole.detect(ctx);
    expect(found.map((f) => f.summary)).toEqual([
      'Our inventory lists 198.51.100.53 as resolver serving 53/udp, 53.',
      'Our inventory lists 198.51.100.77 as customer VPS range.',
    ]);
  });

  it('says nothing without an inventory', () => {
    expect(hostRole.detect(makeContext({ events: [], accused: ['198.51.100.53'] }))).toEqual([]);
  });
});
