import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEATHS_BEFORE_QUARANTINE, InflightMarker } from '../../store/inflight';
import { corpusDir } from '../helpers/paths';
import { tempDir } from './helpers';

const mbox = { kind: 'mbox' as const, path: '/var/mail/abuse.mbox', index: 0 };
const raw = new Uint8Array(readFileSync(join(corpusDir, 'complaints', 'abuseio', 'blocklistde__Blocklistde_Example_1.eml')));

describe('the message a run died reading', () => {
  it(`counts the runs that died on the same bytes; after ${DEATHS_BEFORE_QUARANTINE} the next run knows to set it aside; a read clears it`, async () => {
    const { dir, cleanup } = await tempDir();
    try {
      // Each "run" is a new marker over the same data folder, as a new process would be.
      expect(await new InflightMarker(dir).begin(raw, mbox)).toBe(0);
      expect(await new InflightMarker(dir).begin(raw, mbox)).toBe(1);
      expect(await new InflightMarker(dir).begin(raw, mbox)).toBe(2);
      await new InflightMarker(dir).end(raw, mbox);
      expect(readdirSync(join(dir, 'intake-inflight'))).toEqual([]);
      expect(await new InflightMarker(dir).begin(raw, mbox)).toBe(0);
    } finally {
      await cleanup();
    }
  });

  it("keeps a shared store's markers in a private local folder, not in a folder named after its address", async () => {
    const url = `postgres://desk@127.0.0.1:1/inflight_${process.pid}`;
    const before = readdirSync(process.cwd());
    expect(await new InflightMarker(url).begin(raw, mbox)).toBe(0);
    expect(await new InflightMarker(url).begin(raw, mbox)).toBe(1);
    await new InflightMarker(url).end(raw, mbox);
    expect(readdirSync(process.cwd())).toEqual(before);
    expect(await new InflightMarker(`${url}_other`).begin(raw, mbox)).toBe(0); // another database, its own markers
    await new InflightMarker(`${url}_other`).end(raw, mbox);
  });

  it('keeps sources apart: a death reading the mbox does not count against the same bytes over IMAP', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const m = new InflightMarker(dir);
      await m.begin(raw, mbox);
      await m.begin(new TextEncoder().encode('next'), mbox);
      const imap = { kind: 'imap' as const, mailbox: 'INBOX', uid: 3, account: 'abuse@mail.example' };
      expect(await m.begin(raw, imap)).toBe(0);
      expect(readdirSync(join(dir, 'intake-inflight'))).toHaveLength(2);
    } finally {
      await cleanup();
    }
  });
});
