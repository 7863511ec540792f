import { describe, expect, it } from 'vitest';
import { mailtoUrl } from '../../../renderer/lib/draft-export';

describe('draft export', () => {
  it('encodes mailto: per RFC 6068', () => {
    const url = mailtoUrl('Re: scan & more', 'Line 1\nLine 2 100%', 'abuse@example.net');
    expect(url).toBe('mailto:abuse@example.net?subject=Re%3A%20scan%20%26%20more&body=Line%201%0D%0ALine%202%20100%25');
    expect(mailtoUrl('s', 'b', 'a@b.c\r\nBcc: evil@x')).toBe('mailto:a@b.c?subject=s&body=b');
  });
});
