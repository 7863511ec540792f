import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../../electron/common/contract';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, isEventName } from '../../../electron/common/events';

describe('events from the host to the window', () => {
  it('knows its own event names and nothing else, not even an inherited key', () => {
    expect(EVENT_NAMES).toContain('onProgress');
    for (const e of EVENT_NAMES) expect(isEventName(e)).toBe(true);
    for (const bad of ['onNothing', 'toString', '__proto__', 'constructor', 7, undefined]) expect(isEventName(bad), String(bad)).toBe(false);
  });

  it('travels on one IPC channel that no request channel shares', () => {
    expect((CHANNEL_NAMES as readonly string[]).includes(IPC_EVENT_CHANNEL)).toBe(false);
  });
});
