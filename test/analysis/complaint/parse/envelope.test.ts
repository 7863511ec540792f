import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../analysis/limits';
import { headerFacts, looksBinary, looksLikeMail, pseudoHeaders, readEnvelope } from '../../../../analysis/complaint/parse/envelope';
import { corpusDir, fixturesDir } from '../../../helpers/paths';

const bytes = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('envelope: mail or pasted text', () => {
  it('a real .eml is read as mail; its header gives subject, date and sender', async () => {
    const env = await readEnvelope(bytes(join(fixturesDir, 'complaints', 'cet-portscan.eml')), DEFAULT_LIMITS.message);
    expect(env.mail?.subject).toBe('Port scan from 198.51.100.20');
    expect(env.bodyText).toMatch(/^Hello,\n\nyour host 198\.51\.100\.20 scanned/);
    expect(env.bodyText).not.toMatch(/\r/);
    expect(headerFacts(env)).toEqual({ subject: 'Port scan from 198.51.100.20', dateHeader: 'Thu, 18 Dec 2025 09:12:44 +0100', dateMs: Date.UTC(2025, 11, 18, 8, 12, 44), pastedFrom: undefined });
  });

  it('pasted text is not mail: its Subject:, From: and Date: lines stand in for the header, an unreadable Date: is skipped', async () => {
    const env = await readEnvelope(text('Hi,\r\nSubject: scan from 198.51.100.7\r\nFrom: NOC <noc@isp.example>\r\nDate: Feb 31st\r\nDate: 2 Feb 2026 10:00:00 +0000\r\n\r\nports 22\r\n'), DEFAULT_LIMITS.message);
    expect(env.mail).toBeNull();
    expect(env.bodyText).toBe('Hi,\nSubject: scan from 198.51.100.7\nFrom: NOC <noc@isp.example>\nDate: Feb 31st\nDate: 2 Feb 2026 10:00:00 +0000\n\nports 22\n');
    expect(headerFacts(env)).toMatchObject({ subject: 'scan from 198.51.100.7', pastedFrom: 'NOC <noc@isp.example>', dateMs: Date.UTC(2026, 1, 2, 10) });
  });

  it('cuts the body at the text limit, says so (having decoded four bytes per character of it), and drops NUL', async () => {
    expect(await readEnvelope(text('x'.repeat(60)), { ...DEFAULT_LIMITS.message, textChars: 10 })).toEqual({
      mail: null, bodyText: 'x'.repeat(10), warnings: ['the complaint text is 40 characters: only the first 10 were analysed'],
    });
    expect((await readEnvelope(text(`a\u0000b${'x'.repeat(60)}`), DEFAULT_LIMITS.message)).bodyText).toBe(`ab${'x'.repeat(60)}`);
  });

  it('a capture given as the complaint is named binary', async () => {
    const pcap = bytes(join(corpusDir, 'pcap', 'zeek__wikipedia.pcap'));
    expect(looksBinary(pcap.subarray(0, 65536))).toBe(true);
    expect((await readEnvelope(pcap, DEFAULT_LIMITS.message)).warnings[0]).toMatch(/does not look like text/);
    expect(looksBinary(bytes(join(fixturesDir, 'complaints', 'cet-portscan.eml')))).toBe(false);
  });

  it('looksLikeMail wants header fields up to a blank line, one of them a mail field', () => {
    expect(looksLikeMail('Subject: scan from 1.2.3.4\nFeb  1 23:00:01 fw snort: x\n')).toBe(false);
    expect(looksLikeMail('\uFEFFFrom abuse@x Fri Jan 31 07:19:11 2014\nReturn-Path: <a@b>\nX-Thing: 1\n\nbody')).toBe(true);
    expect(looksLikeMail('hello: world\nfoo: bar\n\n')).toBe(false);
    expect(pseudoHeaders('Subject: a\nSubject: b\n').subject).toBe('a');
  });
});
