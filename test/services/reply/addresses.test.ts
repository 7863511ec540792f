import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMail } from '../../../analysis/complaint/mail';
import { isMailAddress, operatorRecipients, singleMailbox } from '../../../services/reply/addresses';
import { corpusDir } from '../../helpers/paths';

describe('mail addresses a reply may go to', () => {
  it('accepts only plain mailboxes', () => {
    expect(singleMailbox('abuse@example.net')?.address).toBe('abuse@example.net');
    for (const bad of ['group: a@x.example;', 'a@x.example\r\nBcc: c@evil.example', 'no-at', 'a@localhost']) expect(singleMailbox(bad)).toBeNull();
    expect(singleMailbox('"evil <e@evil.example>" <a@x.example>')).toEqual({ name: '', address: 'a@x.example' });
  });

  it('takes the operator\'s list whole or not at all, naming the entry it refuses', () => {
    expect(operatorRecipients('a@x.example, "Bé" <b@y.example>')).toEqual({ ok: true, mailboxes: [{ name: '', address: 'a@x.example' }, { name: 'Bé', address: 'b@y.example' }] });
    expect(operatorRecipients('a@x.example, not an address')).toMatchObject({ ok: false, rejected: 'not an address' });
    expect([isMailAddress('abuse@example.net'), isMailAddress('abuse@example'), isMailAddress('a b@example.net')]).toEqual([true, false, false]);
  });

  it('the reporters of the AbuseIO corpus mails are single plain mailboxes', async () => {
    const dir = join(corpusDir, 'complaints', 'abuseio');
    const names = readdirSync(dir).filter((n) => n.endsWith('.eml')).slice(0, 20);
    for (const n of names) {
      const from = (await parseMail(new Uint8Array(readFileSync(join(dir, n))))).reporter.address;
      if (from) expect(singleMailbox(from)?.address, n).toBe(from);
    }
  });
});
