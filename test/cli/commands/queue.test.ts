import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaseStore } from '../../../store/case-store';
import { abuseioSamples, toMbox } from '../../store/intake-helpers';
import { tempDir } from '../../store/helpers';
import { cli } from '../cli-runner';

describe('abuse-desk queue', () => {
  it('an empty store says so; after importing AbuseIO mails every open case is listed once with its class and reason; --json agrees', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const data = join(dir, 'data');
      const empty = await cli(['queue', '--data-dir', data]);
      expect(empty.status).toBe(0);
      expect(empty.stdout).toMatch(/^Queue: 0 compromise, /);
      const samples = abuseioSamples().slice(0, 8);
      writeFileSync(join(dir, 'in.mbox'), toMbox(samples.map((s) => s.raw)));
      expect((await cli(['import', '--data-dir', data, join(dir, 'in.mbox')])).status).toBe(0);
      const text = await cli(['queue', '--data-dir', data, '--limit', '100']);
      const json = JSON.parse((await cli(['queue', '--data-dir', data, '--limit', '100', '--json'])).stdout) as { items: Array<{ id: number; queueClass: string }> };
      const rows = text.stdout.trimEnd().split('\n').slice(1);
      expect(rows.map((r) => Number(r.trim().split(/\s+/)[0]))).toEqual(json.items.map((i) => i.id));
      expect(json.items.length).toBeGreaterThan(0);
      expect((await cli(['queue', '--data-dir', data, '--class', 'urgent'])).status).toBe(2);
    } finally {
      await cleanup();
    }
  });

  it('lists the messages that could not be read first, with their error, as the app does; --json carries them; not past the first page', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const data = join(dir, 'data');
      const samples = abuseioSamples().slice(0, 3);
      writeFileSync(join(dir, 'in.mbox'), toMbox(samples.map((s) => s.raw)));
      expect((await cli(['import', '--data-dir', data, join(dir, 'in.mbox')])).status).toBe(0);
      const store = await CaseStore.open(data);
      try {
        await store.quarantineMessage({ raw: Buffer.from('Subject: x\n\nbody'), source: { kind: 'mbox', path: '/in/abuse.mbox', index: 6 }, error: 'could not be stored: boom' });
        // An error quoting the mail: its escape sequence does not reach the terminal.
        const bad = { raw: Buffer.from('Subject: y\n\nbody'), source: { kind: 'imap', mailbox: 'INBOX', uid: 9, account: 'a@h:993' } as const, error: 'could not be read as a complaint: bad \u001b]0;pwned\u0007 header' };
        await store.quarantineMessage(bad);
        await store.quarantineMessage(bad);
      } finally {
        await store.close();
      }
      const text = await cli(['queue', '--data-dir', data, '--limit', '100']);
      expect(text.status).toBe(0);
      const lines = text.stdout.split('\n');
      expect(lines[1]).toBe('Could not be read: 2 messages, kept as received');
      expect(lines[2]).toMatch(/^ {2}could not be read {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: UTC)? {2}INBOX UID 9: could not be read as a complaint: bad +header \(2 attempts\)$/);
      expect(lines[3]).toMatch(/^ {2}could not be read {2}.* {2}abuse\.mbox#7: could not be stored: boom$/);
      expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      const json = JSON.parse((await cli(['queue', '--data-dir', data, '--json'])).stdout) as { unreadable: Array<{ sourceName: string; error: string; attempts: number }> };
      expect(json.unreadable.map((m) => [m.sourceName, m.attempts])).toEqual([['INBOX UID 9', 2], ['abuse.mbox#7', 1]]);
      const later = await cli(['queue', '--data-dir', data, '--offset', '1']);
      expect(later.stdout).not.toMatch(/could not be read/);
      // Whatever the class asked for.
      expect((await cli(['queue', '--data-dir', data, '--class', 'copyright'])).stdout).toMatch(/^Could not be read: 2 messages/m);
    } finally {
      await cleanup();
    }
  });
});

