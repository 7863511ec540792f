/**
 * A message over the intake reader's bound (store/whole-message.ts): its
 * first bytes are the complaint and the message rows, the whole message is
 * copied from the reader's spool into the vault as evidence left out of the
 * runs, the spool is removed once the message is settled (stored or
 * quarantined), and a dead process's spools go when the folder is prepared.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../../services/intake/files';
import { CaseStore, type IntakeMessageInput } from '../../store/case-store';
import { importMessages } from '../../store/intake';
import { prepareSpoolDir } from '../../store/whole-message';
import { mail, toMbox } from './intake-helpers';
import { useTempStore } from './store-fixture';

const t = useTempStore();

const big = mail({ messageId: 'big@example.org', subject: 'Port scan', body: `Host 198.51.100.7 scanned 192.0.2.1 on port 22.\n${'Jan  1 10:00:01 fw DROP SRC=198.51.100.7 DST=192.0.2.1\n'.repeat(20_000)}` });
const small = mail({ messageId: 'small@example.org', subject: 'Scan', body: 'Host 198.51.100.8 scanned 192.0.2.1 on port 23.' });
const BOUND = 64 * 1024;

describe('a message over the reader bound', () => {
  it('is stored from its first bytes, kept whole as evidence left out of the runs, and its spool removed', async () => {
    const mbox = join(t.dir, 'big.mbox');
    writeFileSync(mbox, toMbox([big, small]));
    const spool = await prepareSpoolDir(t.store.dataDir);
    const summary = await importMessages(t.store, readMessages([mbox], { spoolDir: spool, maxMessageBytes: BOUND }), { batchSize: 100 });
    expect(summary.counts.created).toBe(2);
    expect(summary.warnings.map((w) => w.source)).toEqual(['big.mbox#1']);
    const detail = await t.store.getCase(summary.caseIds[0]);
    expect(detail.accused).toContain('198.51.100.7');
    const [msg] = await t.store.messagesOf(detail.id);
    expect(Buffer.from(await t.store.messageRaw(msg.id)).equals(big.subarray(0, BOUND))).toBe(true);
    expect(Buffer.from(detail.complaintRaw, 'utf8').equals(big.subarray(0, BOUND))).toBe(true);
    // The row names the message as received: the SHA-256 of the whole, which the vault file has.
    const sha = createHash('sha256').update(big).digest('hex');
    expect(msg.rawSha256).toBe(sha);
    expect(detail.evidence.map((e) => ({ name: e.originalName, size: e.size, sha256: e.sha256, excluded: e.excluded }))).toEqual([
      { name: 'big.mbox#1 (whole message).eml', size: big.length, sha256: sha, excluded: true },
    ]);
    expect(readFileSync((await t.store.evidencePath(detail.evidence[0].id)).path).equals(big)).toBe(true);
    expect(readdirSync(spool).filter((n) => n.includes('-intake-'))).toEqual([]);
    // Again: already imported, nothing copied or left behind.
    const again = await importMessages(t.store, readMessages([mbox], { spoolDir: spool, maxMessageBytes: BOUND }));
    expect(again.counts['already-imported']).toBe(2);
    expect(readdirSync(spool).filter((n) => n.includes('-intake-'))).toEqual([]);
    expect((await t.store.vaultCheck()).orphans).toEqual([]);
  });

  it('a quarantined one keeps its first bytes with the whole length, and its spool goes too', async () => {
    const s = await CaseStore.open(join(t.dir, 'q'));
    try {
      const mbox = join(t.dir, 'q.mbox');
      writeFileSync(mbox, toMbox([big]));
      const spool = await prepareSpoolDir(s.dataDir);
      const failing = Object.create(s) as CaseStore;
      failing.intakeBatch = (_inputs: IntakeMessageInput[]) => Promise.reject(new TypeError('boom'));
      const summary = await importMessages(failing, readMessages([mbox], { spoolDir: spool, maxMessageBytes: BOUND }));
      expect(summary.quarantined).toEqual([{ source: 'q.mbox#1', error: 'could not be stored: boom' }]);
      const [q] = await s.quarantinedMessages();
      expect(q.size).toBe(big.length);
      expect(q.error).toBe(`could not be stored: boom (only its first ${BOUND} of ${big.length} bytes are kept)`);
      expect(Buffer.from(await s.quarantinedRaw(q.id)).equals(big.subarray(0, BOUND))).toBe(true);
      expect(readdirSync(spool).filter((n) => n.includes('-intake-'))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("the spool folder is the vault's tmp/; preparing it removes a dead process's spools and keeps a live one's", async () => {
    const spool = await prepareSpoolDir(t.store.dataDir);
    expect(spool).toBe(join(t.store.dataDir, 'evidence', 'tmp'));
    // A pid no process has (above the kernel's pid_max), and ours.
    writeFileSync(join(spool, '4194305-intake-dead'), 'x');
    writeFileSync(join(spool, `${process.pid}-intake-live`), 'x');
    await prepareSpoolDir(t.store.dataDir);
    expect(existsSync(join(spool, '4194305-intake-dead'))).toBe(false);
    expect(existsSync(join(spool, `${process.pid}-intake-live`))).toBe(true);
  });
});
