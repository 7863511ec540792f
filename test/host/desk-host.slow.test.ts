/**
 * Two apps (DeskHosts) on one PostgreSQL database, each with its operator in
 * its desk settings: what one app changes (claim, reply, close) reaches the
 * other's window as onStoreChanged, naming the case, the action and who,
 * within a second.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../electron/common/events';
import { DeskHost } from '../../host/desk-host';
import { DeskSettingsStore } from '../../host/desk-settings-store';
import { AesFileSecretBox } from '../../host/secrets';
import { pgTitle, postgresSkip, startPostgres, type PgCluster } from '../helpers/postgres';
import { corpusComplaints } from '../store/behaviour/scenario';
import { tempDir } from '../electron/helpers';

describe.skipIf(!!postgresSkip)(pgTitle('desk changes forwarded between two apps on one PostgreSQL database'), () => {
  let cluster: PgCluster;
  const tmp = tempDir('ad-desk-host-pg-');
  beforeAll(async () => { cluster = await startPostgres(); });
  afterAll(() => { cluster?.stop(); tmp.remove(); });

  it("a claim, a reply and a close by Alice reach Bob's window within a second, naming her", async () => {
    const url = cluster.createDatabase();
    const heard: Array<{ app: string; msg: EventMessage; at: number }> = [];
    const apps = ['alice', 'bob'].map((operator) => {
      const dataDir = join(tmp.dir, operator);
      new DeskSettingsStore(dataDir).set({ operator });
      return new DeskHost({ dataDir, storeFlag: url, storePassword: new AesFileSecretBox(dataDir, 'store-password'), emit: (msg) => heard.push({ app: operator, msg, at: Date.now() }) });
    });
    try {
      const [alice, bob] = await Promise.all(apps.map((a) => a.stores.get()));
      expect([alice.operator, bob.operator]).toEqual(['alice', 'bob']);
      // Both apps listen once their store is open.
      await new Promise((r) => setTimeout(r, 300));
      const [m] = await corpusComplaints(1);
      const { case: c } = await alice.createOrFindCase({ complaintRaw: m.raw, complaintName: m.name, complaint: m.complaint });
      const draft = await alice.saveDraft(c.id, { subject: 'Re: report', body: 'Handled.', origin: 'edited' });
      const steps: Array<[string, () => Promise<unknown>]> = [
        ['claimed', () => apps[0].desk.claim(c.id)],
        ['reply_sent', () => alice.recordSentReply({ caseId: c.id, draftId: draft.id, messageId: '<r1@desk.example>', recipients: ['abuse@example.net'], raw: new TextEncoder().encode('Subject: Re\r\n\r\nHandled.\r\n') })],
        ['status_changed', () => alice.setStatus(c.id, 'closed')],
      ];
      for (const [action, step] of steps) {
        const t0 = Date.now();
        await step();
        let got: { at: number } | undefined;
        for (let i = 0; i < 100 && !got; i++) {
          got = heard.find((h) => h.app === 'bob' && h.msg.event === 'onStoreChanged' && h.msg.args[0].caseId === c.id && h.msg.args[0].action === action);
          if (!got) await new Promise((r) => setTimeout(r, 10));
        }
        expect(got, `bob heard ${action}`).toBeDefined();
        expect(got!.at - t0).toBeLessThan(1000);
        expect((heard.find((h) => h.app === 'bob' && h.msg.event === 'onStoreChanged' && h.msg.args[0].action === action)!.msg.args[0] as { operator: string }).operator).toBe('alice');
      }
    } finally {
      await Promise.all(apps.map((a) => a.close()));
    }
  });
});
