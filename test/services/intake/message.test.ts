import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeMessage } from '../../../services/intake/message';
import { corpusDir } from '../../helpers/paths';

const dir = join(corpusDir, 'complaints', 'abuseio');
const src = (filename: string) => ({ kind: 'eml' as const, path: join(dir, filename), filename });

describe('a received message described', () => {
  it('the AbuseIO corpus: every mail with a Message-ID header has it read without its angle brackets, and none is called malformed', () => {
    const names = readdirSync(dir).filter((n) => n.endsWith('.eml'));
    expect(names.length).toBeGreaterThan(50);
    for (const n of names) {
      const raw = new Uint8Array(readFileSync(join(dir, n)));
      const m = describeMessage(raw, src(n));
      const header = /^Message-I[dD]:[ \t]*<([^>]+)>/m.exec(new TextDecoder('latin1').decode(raw).split(/\r?\n\r?\n/)[0]);
      if (header) expect(m.messageId, n).toBe(header[1]);
      expect(m.warnings, n).toEqual([]);
      expect(m.raw).toBe(raw);
    }
  });

  it('reads the threading headers of a reply', () => {
    const raw = new TextEncoder().encode('From: a@x.example\r\nMessage-ID: <r2@x.example>\r\nIn-Reply-To: <r1@x.example>\r\nReferences: <r0@x.example>\r\n <r1@x.example>\r\n\r\nbody');
    expect(describeMessage(raw, { kind: 'imap', mailbox: 'INBOX', uid: 3 })).toMatchObject({ messageId: 'r2@x.example', inReplyTo: 'r1@x.example', references: ['r0@x.example', 'r1@x.example'], warnings: [] });
  });

  it('says what is wrong with a message, and yields it all the same', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(describeMessage(new Uint8Array(0), src('empty.eml')).warnings).toContain('empty message');
    expect(describeMessage(enc('From: a@x.example\r\nSubject: cut'), src('cut.eml')).warnings).toEqual(['no blank line after the header: truncated or not a mail message']);
    expect(describeMessage(enc('just some text\nand more\n\nbody'), src('t.eml')).warnings).toContain('no RFC 5322 header fields at the start');
    expect(describeMessage(enc('Subject: x\r\n\r\nbody'), src('s.eml')).warnings).toEqual(['no From:, Date: or Message-ID: header']);
  });
});
