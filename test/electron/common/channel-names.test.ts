import { describe, expect, it } from 'vitest';
import { CHANNEL_LIST } from '../../../electron/common/channel-names';
import { CHANNEL_NAMES } from '../../../electron/common/contract';

describe('preload channel list', () => {
  it('matches the contract', () => {
    expect([...CHANNEL_LIST].sort()).toEqual([...CHANNEL_NAMES].sort());
  });
});
