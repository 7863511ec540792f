import { describe, expect, it } from 'vitest';
import { shortcutFor } from '../../../renderer/lib/shortcuts';

const key = (init: Partial<KeyboardEvent> & { target?: EventTarget | null }) => ({
  key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...init,
});

describe('shortcuts', () => {
  it('maps keys to actions', () => {
    expect(shortcutFor(key({ key: 'Enter', ctrlKey: true }))).toBe('analyse');
    expect(shortcutFor(key({ key: 'Enter', metaKey: true }))).toBe('analyse');
    expect(shortcutFor(key({ key: 'C', ctrlKey: true, shiftKey: true }))).toBe('copy-reply');
    expect(shortcutFor(key({ key: 'c', ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key({ key: 'o', ctrlKey: true }))).toBe('attach');
    expect(shortcutFor(key({ key: 'π', code: 'KeyP', altKey: true }))).toBe('focus-complaint');
    expect(shortcutFor(key({ key: '1', code: 'Digit1', altKey: true }))).toBe('view-new');
  });
  it('leaves "?" to text fields', () => {
    const ta = document.createElement('textarea');
    expect(shortcutFor(key({ key: '?', target: ta }))).toBeNull();
    expect(shortcutFor(key({ key: '?', target: document.body }))).toBe('help');
  });
});
