import { describe, expect, it } from 'vitest';
import { renderDraftFile } from '../../../electron/common/draft-file';

describe('draft files', () => {
  it('writes an unsent RFC 5322 message with encoded non-ASCII subject', () => {
    const f = renderDraftFile({ format: 'eml', subject: 'Re: Portscan von 198.51.100.7 – Rückmeldung', body: 'Hello\n.\nBye', to: 'abuse@example.net' });
    expect(f.fileName).toMatch(/\.eml$/);
    expect(f.content).toContain('X-Unsent: 1\r\n');
    expect(f.content).toMatch(/Subject: =\?UTF-8\?B\?/);
    expect(f.content).toContain('\r\n\r\nHello\r\n..\r\nBye\r\n');
    expect(renderDraftFile({ format: 'txt', subject: 'S', body: 'B' })).toMatchObject({ fileName: 'S.txt', content: 'Subject: S\n\nB' });
  });
});
