/**
 * `abuse-desk store migrate --from sqlite:DIR --to postgres://…`: a local
 * history built from corpus complaints and captures is copied into an empty
 * shared database; every case reads back the same there, the count check
 * agrees, a case whose evidence fails custody is refused (and said so), and
 * running it again copies nothing twice.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main';
import { CaseStore, type CaseDetail } from '../../../store/case-store';
import { pgTitle, postgresSkip, startPostgres, type PgCluster } from '../../helpers/postgres';
import { steppingClock } from '../behaviour/backends';
import { corpusComplaints, runScenario } from '../behaviour/scenario';
import { tempDir } from '../helpers';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  try {
    return { code: await main(argv), out };
  } finally {
    spy.mockRestore();
  }
}

/** A case without the ids of its rows (the shared database numbers them its own way) and the fast custody state. */
function comparable(c: CaseDetail): unknown {
  const noId = <T extends { id: number }>(xs: T[]): Array<Omit<T, 'id'>> => xs.map(({ id: _id, ...rest }) => rest);
  return {
    ...c, id: 0, acceptedRunId: c.acceptedRunId === null ? null : 'set',
    evidence: noId(c.evidence).map((e) => ({ ...e, caseId: 0 })), runs: noId(c.runs).map((r) => ({ ...r, caseId: 0 })),
    drafts: noId(c.drafts).map((d) => ({ ...d, caseId: 0, runId: d.runId === null ? null : 'set' })),
    notes: noId(c.notes).map((n) => ({ ...n, caseId: 0 })), audit: noId(c.audit).map((a) => ({ ...a, caseId: 0 })),
  };
}

describe.skipIf(!!postgresSkip)(pgTitle('store migrate from SQLite to PostgreSQL'), () => {
  let cluster: PgCluster;
  beforeAll(async () => { cluster = await startPostgres(); });
  afterAll(() => cluster?.stop());

  it('copies every case whole, refuses a broken custody, counts alike and copies nothing twice', async () => {
    const { dir, cleanup } = await tempDir();
    const data = join(dir, 'data');
    try {
      const local = await CaseStore.open(data, { now: steppingClock(), operator: 'alice' });
      const mails = await corpusComplaints(15);
      await runScenario(local, mails);
      // Two edited templates here; the shared desk already has its own text for one of them.
      const spam = { reportClass: 'spam', verdict: 'compromise' } as const;
      const flood = { reportClass: 'network-abuse', verdict: 'backscatter' } as const;
      await local.replyTemplates.set(spam, { subject: 'Re: {subject} [{case}]', body: 'Local spam text for {accused}.\n' });
      await local.replyTemplates.set(flood, { subject: 'Re: {subject}', body: 'Local backscatter text.\n' });
      const ids = (await local.listCases({ limit: 1000 })).items.map((c) => c.id).sort((a, b) => a - b);
      // Case 2 holds the only copy of capture B: damage it in the vault.
      const b = (await local.getCase(2)).evidence[0];
      const { path } = await local.evidencePath(b.id);
      const bytes = readFileSync(path);
      bytes[40] ^= 0x01;
      writeFileSync(path, bytes);
      const before = new Map<string, CaseDetail>();
      for (const id of ids) { const c = await local.getCase(id); before.set(c.fingerprint, c); }
      await local.close();

      const url = cluster.createDatabase();
      const desk = await CaseStore.open(url, { operator: 'carol' });
      const desksFlood = await desk.replyTemplates.set(flood, { subject: 'Re: {subject}', body: 'The desk backscatter text.\n' });
      await desk.close();
      const first = await run(['store', 'migrate', '--from', `sqlite:${data}`, '--to', url, '--json']);
      const report = JSON.parse(first.out) as { templates: Record<string, number>; cases: Record<string, number>; rows: Record<string, { source: number; destination: number }>; refused: Array<{ caseId: number; reason: string }>; mismatches: string[] };
      expect(first.code).toBe(1); // one case refused
      expect(report.cases).toEqual({ inSource: ids.length, copied: ids.length - 1, alreadyThere: 0, refused: 1 });
      expect(report.refused).toEqual([{ caseId: 2, reason: expect.stringContaining('wireshark-wiki__nmap_OS_scan.pcap mismatch') as string }]);
      expect(report.mismatches).toEqual([]);
      expect(report.templates).toEqual({ inSource: 2, copied: 1, alreadyThere: 1 });
      expect(report.rows.audit.source).toBeGreaterThan(ids.length);
      expect(report.rows.analysis_runs.destination).toBe(report.rows.analysis_runs.source);

      const shared = await CaseStore.open(url);
      try {
        const there = (await shared.listCases({ limit: 1000 })).items;
        expect(there).toHaveLength(ids.length - 1);
        const idThere = new Map<string, number>();
        for (const s of there) {
          const c = await shared.getCase(s.id, { verifyEvidence: false });
          idThere.set(c.fingerprint, c.id);
          expect(comparable(c), `case ${c.fingerprint}`).toEqual(comparable(before.get(c.fingerprint)!));
        }
        expect((await shared.replyTemplates.get(spam)).template).toEqual({ subject: 'Re: {subject} [{case}]', body: 'Local spam text for {accused}.\n' });
        expect((await shared.replyTemplates.get(spam)).updatedBy).toBe('alice');
        expect(await shared.replyTemplates.get(flood)).toEqual(desksFlood);
        // Search works on what was copied (the search documents were written).
        expect((await shared.search('abuse')).items.length).toBeGreaterThan(0);
        // The evidence came along as blobs and passes the custody check there.
        const withEvidence = [...before.values()].find((c) => c.evidence.length && c.id !== 2)!;
        const verified = await shared.getCase(idThere.get(withEvidence.fingerprint)!, { verifyEvidence: true });
        expect(verified.evidence.map((e) => [e.sha256, e.custody])).toEqual(withEvidence.evidence.map((e) => [e.sha256, 'verified']));
      } finally {
        await shared.close();
      }

      const again = await run(['store', 'migrate', '--from', `sqlite:${data}`, '--to', url]);
      expect(again.out).toContain('reply templates: 2 in the local store, 0 copied, 2 already there');
      expect(again.out).toContain(`cases: ${ids.length} in the local store, 0 copied, ${ids.length - 1} already there, 1 refused`);
      const shared2 = await CaseStore.open(url);
      expect((await shared2.listCases({ limit: 1000 })).items).toHaveLength(ids.length - 1);
      await shared2.close();
    } finally {
      await cleanup();
    }
  });
});
