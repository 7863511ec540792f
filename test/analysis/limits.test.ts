import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, formatBytes, limitsWith, MessageBudget } from '../../analysis/limits';

describe('limits', () => {
  it('replaces only the limits given and leaves the defaults alone', () => {
    const l = limitsWith({ message: { decodedBytes: 1000 }, file: { records: 5 } });
    expect(l.message.decodedBytes).toBe(1000);
    expect(l.message.attachments).toBe(DEFAULT_LIMITS.message.attachments);
    expect(l.file).toEqual({ records: 5, lineLength: DEFAULT_LIMITS.file.lineLength });
    expect(DEFAULT_LIMITS.message.decodedBytes).toBe(64 * 1024 * 1024);
    expect(Object.isFrozen(DEFAULT_LIMITS.message)).toBe(true);
  });

  it('keeps one message account: decoded room, attachments, quoted text', () => {
    const b = new MessageBudget(limitsWith({ message: { decodedBytes: 100, attachments: 2, quotedChars: 10 } }).message);
    b.useDecoded(60);
    expect(b.decodedRoom()).toBe(40);
    b.useDecoded(70);
    expect(b.decodedRoom()).toBe(0);
    expect([b.takeAttachment(), b.takeAttachment(), b.takeAttachment()]).toEqual([true, true, false]);
    b.useQuoted(4);
    expect(b.quotedRoom()).toBe(6);
  });

  it('writes sizes for people', () => {
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512)).toBe('512 bytes');
  });
});
