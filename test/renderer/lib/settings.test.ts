import { describe, expect, it } from 'vitest';
import { parseNets } from '../../../renderer/lib/settings.svelte';

describe('settings', () => {
  it('parses and checks our networks', () => {
    expect(parseNets('198.51.100.0/24\n2001:db8::/32, 10.0.0.1')).toEqual({ nets: ['198.51.100.0/24', '2001:db8::/32', '10.0.0.1'], invalid: [] });
    expect(parseNets('198.51.100.0/33 nope').invalid).toEqual(['198.51.100.0/33', 'nope']);
  });
});
