/**
 * The quarantine (store/quarantine.ts) and importMessages around it: a
 * message that makes its batch fail is found by storing the batch one by one
 * and set aside with the error, the others stored in order; a failure of the
 * store itself (disk full) stops the import instead and quarantines nothing.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseStore, StoreError, type IntakeMessageInput } from '../../store/case-store';
import { InflightMarker } from '../../store/inflight';
import { importMessages, type RawIntakeMessage } from '../../store/intake';
import { mail } from './intake-helpers';
import { useTempStore } from './store-fixture';

const t = useTempStore();

const msgs = (n: number): RawIntakeMessage[] => Array.from({ length: n }, (_, i) => ({
  raw: mail({ messageId: `q-${i}@example.org`, subject: `scan ${i}`, body: `Host 198.51.100.${i + 1} scanned 192.0.2.1 on port 22.` }),
  source: { kind: 'mbox', path: '/in/abuse.mbox', index: i }, messageId: `q-${i}@example.org`, warnings: [],
}));

/** The store, with intakeBatch failing as `fail` says for a batch holding message 2. */
function failingOn2(store: CaseStore, fail: () => Error): CaseStore {
  const s = Object.create(store) as CaseStore;
  s.intakeBatch = (inputs: IntakeMessageInput[]) => (inputs.some((m) => m.messageId === 'q-2@example.org') ? Promise.reject(fail()) : store.intakeBatch(inputs));
  return s;
}

describe('quarantine', () => {
  it('a message its batch fails on is quarantined, the rest of the batch and the next ones stored in order', async () => {
    const settled: number[] = [];
    const summary = await importMessages(failingOn2(t.store, () => new TypeError("Cannot read properties of undefined (reading 'x')")), msgs(5), {
      batchSize: 100, onSettled: (m) => { if (m.source.kind === 'mbox') settled.push(m.source.index); },
    });
    expect(summary.counts.created).toBe(4);
    expect(summary.quarantined).toEqual([{ source: 'abuse.mbox#3', error: "could not be stored: Cannot read properties of undefined (reading 'x')" }]);
    expect(settled.sort()).toEqual([0, 1, 2, 3, 4]);
    const [q] = await t.store.quarantinedMessages();
    expect({ name: q.sourceName, uid: q.sourceUid, location: q.sourceLocation }).toEqual({ name: 'abuse.mbox#3', uid: 2, location: '/in/abuse.mbox' });
    // Met again: one row, two attempts.
    await importMessages(failingOn2(t.store, () => new StoreError('invalid', 'still bad')), msgs(5), { batchSize: 100 });
    const again = await t.store.quarantinedMessages();
    expect(again.map((m) => [m.id, m.attempts, m.error])).toEqual([[q.id, 2, 'could not be stored: still bad']]);
    expect((await t.store.vaultCheck()).orphans).toEqual([]);
  });

  it('a full disk stops the import: nothing quarantined, the batches before it kept', async () => {
    const err = () => new StoreError('disk_full', 'The disk is full.');
    await expect(importMessages(failingOn2(t.store, err), msgs(5), { batchSize: 2 })).rejects.toMatchObject({ code: 'disk_full' });
    expect(await t.store.quarantinedMessages()).toEqual([]);
    expect((await t.store.listCases()).items).toHaveLength(2);
  });

  it('lists quarantined messages newest first, with where they came from', async () => {
    const s = await CaseStore.open(join(t.dir, 'q2'));
    try {
      await s.quarantineMessage({ raw: Buffer.from('Subject: x\n\nbody'), source: { kind: 'imap', mailbox: 'INBOX', uid: 9, account: 'a@h:993' }, error: 'boom' });
      await s.quarantineMessage({ raw: Buffer.from('Subject: y\n\nbody'), source: { kind: 'eml', path: '/in/y.eml', filename: 'y.eml' }, error: 'bang' });
      expect((await s.quarantinedMessages()).map((m) => [m.sourceName, m.sourceLocation, m.error])).toEqual([
        ['y.eml', '/in/y.eml', 'bang'], ['INBOX UID 9', 'a@h:993/INBOX', 'boom'],
      ]);
      expect((await s.quarantinedMessages(1))).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});

describe('a message that stops the process while it is read', () => {
  it('is read again after one death, and quarantined unread after two; the cursor source moves on', async () => {
    const all = msgs(4);
    const marker = new InflightMarker(t.store.dataDir);
    // Two runs died reading message 2, each after reading the ones before it (what begin() without end() leaves behind).
    for (let run = 0; run < 2; run++) {
      for (const m of all.slice(0, 2)) { await marker.begin(m.raw, m.source); await marker.end(m.raw, m.source); }
      expect(await marker.begin(all[2].raw, all[2].source)).toBe(run);
    }
    const settled: number[] = [];
    const summary = await importMessages(t.store, all, { batchSize: 100, onSettled: (m) => { if (m.source.kind === 'mbox') settled.push(m.source.index); } });
    expect(summary.counts.created).toBe(3);
    expect(summary.quarantined).toEqual([{ source: 'abuse.mbox#3', error: 'not read: reading it stopped Abuse Desk 2 times (out of memory, or killed)' }]);
    expect(settled).toEqual([0, 1, 2, 3]);
    expect(readdirSync(join(t.store.dataDir, 'intake-inflight'))).toEqual([]);
  });

  it('one death is not enough: the message is read again and stored', async () => {
    const all = msgs(3);
    await new InflightMarker(t.store.dataDir).begin(all[1].raw, all[1].source);
    const summary = await importMessages(t.store, all);
    expect({ created: summary.counts.created, quarantined: summary.quarantined }).toEqual({ created: 3, quarantined: [] });
  });
});
