/**
 * A poison message: one the complaint parser still throws on after its
 * budgets. Fetched over IMAP (the fake server) by `abuse-desk import`, it is
 * quarantined as received with its error, the messages after it are
 * imported, the cursor moves past it, and the next fetch goes on with what
 * arrived since. The parser's failure is injected for the message carrying
 * `X-Test-Poison` (the real parser no longer throws on any input we know).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CaseStore } from '../../../store/case-store';
import { cli } from '../../cli/cli-runner';
import { mail } from '../../store/intake-helpers';
import { startFakeImap, type FakeImap } from './fake-imap';

vi.mock('../../../analysis/complaint/parse-complaint', async (original) => {
  const real = await original<typeof import('../../../analysis/complaint/parse-complaint')>();
  return {
    ...real,
    parseComplaint: (raw: Uint8Array, ...rest: unknown[]) => {
      if (Buffer.from(raw).includes('X-Test-Poison: yes')) throw new RangeError('Invalid string length');
      return (real.parseComplaint as (...a: unknown[]) => unknown)(raw, ...rest);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'ad-poison-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (i: number): Buffer => mail({
  messageId: `poison-test-${i}@example.org`, subject: `port scan ${i}`,
  body: `Host 198.51.100.${i} scanned 192.0.2.${i} on port 22 at 2025-12-18 01:0${i}:00 UTC.`,
});
const poison = Buffer.concat([Buffer.from('X-Test-Poison: yes\n'), mail({ messageId: 'poison-test-poison@example.org', subject: 'looks harmless', body: 'A report.' })]);

describe('a poison message from IMAP', () => {
  let server: FakeImap | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  it('is quarantined with its error, the next messages are imported and the next fetch goes on', async () => {
    const messages = [scan(1), scan(2), poison, scan(4)];
    server = await startFakeImap({ messages });
    const data = join(dir, 'data');
    const url = `imap://operator@127.0.0.1:${server.port}/INBOX`;
    const args = ['import', url, '--no-tls', '--allow-plaintext-login', '--password-env', 'AD_TEST_IMAP_PW', '--data-dir', data];
    const env = { env: { AD_TEST_IMAP_PW: 'pw' } };

    const first = await cli([...args, '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const s1 = JSON.parse(first.stdout) as { messages: number; counts: { created: number }; quarantined: Array<{ source: string; error: string }> };
    expect(s1.messages).toBe(4);
    expect(s1.counts.created).toBe(3);
    expect(s1.quarantined).toEqual([{ source: 'INBOX UID 3', error: 'could not be read as a complaint: Invalid string length' }]);

    const store = await CaseStore.open(data);
    try {
      const q = await store.quarantinedMessages();
      expect(q.map((m) => [m.sourceName, m.sourceUid, m.messageId, m.size, m.attempts])).toEqual([['INBOX UID 3', 3, 'poison-test-poison@example.org', poison.length, 1]]);
      expect(Buffer.from(await store.quarantinedRaw(q[0].id)).equals(poison)).toBe(true);
      expect((await store.queue()).items).toHaveLength(3);
      expect((await store.getImapCursor(`operator@127.0.0.1:${server.port}`, 'INBOX'))?.lastUid).toBe(4);
    } finally {
      await store.close();
    }

    // What arrives next is fetched; the poison is not fetched again.
    messages.push(scan(5));
    const second = await cli([...args, '--json'], env);
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ messages: 1, counts: { created: 1 }, quarantined: [] });
    const text = await cli(args, env);
    expect(text.stdout).toMatch(/^.*: 0 messages/);
    expect(server.cleartext()).toMatch(/UID FETCH 5:\*/);
  });
});
