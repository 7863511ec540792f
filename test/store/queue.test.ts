import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMessage } from '../../services/intake/message';
import { CaseStore } from '../../store/case-store';
import { Database, type Params } from '../../store/database';
import type { QueuePage } from '../../store/intake-types';
import { importMessages } from '../../store/intake';
import { mail, synAckLine } from './intake-helpers';
import { fakeComplaint, fakeResult, tempDir } from './helpers';

const ourNets = ['198.51.100.0/24'];
const day = (d: number): string => new Date(Date.UTC(2025, 11, d, 1, 0, 0)).toUTCString();

let root = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir: root, cleanup } = await tempDir('ad-queue-')));
afterAll(() => cleanup());

const msg = (i: number, raw: Buffer) => describeMessage(raw, { kind: 'eml', path: `/in/${i}.eml`, filename: `${i}.eml` });

describe('the ranked queue', () => {
  it('puts likely compromise first, unclear network abuse next, likely false positives last, each with its reason; Repeat counts the rows that say so', async () => {
    const store = await CaseStore.open(join(root, 'q1'), { now: () => Date.UTC(2025, 11, 20) });
    try {
      const mails = [
        // A backscatter complaint (our port 80 sending SYN-ACKs): likely false positive.
        mail({ messageId: 'fp@x.example', date: day(18), subject: 'portscan from 198.51.100.80', body: `Port scan from 198.51.100.80:\n${synAckLine('00:40:01', 4000)}\n${synAckLine('00:40:02', 4001)}\n` }),
        // Three reports about one host that say little: repeats.
        ...[15, 16, 17].map((d) => mail({ messageId: `rep-${d}@y.example`, date: day(d), from: `NOC ${d} <noc${d}@y.example>`, subject: `abuse ${d}`, body: `Something odd from 198.51.100.33 on day ${d}.\n` })),
        // A worm: likely compromise.
        mail({ messageId: 'worm@z.example', date: day(10), subject: 'possible worm on 198.51.100.90', body: 'Our network monitoring flags bursts of UDP from 198.51.100.90 source port 770 to the broadcast address.\n' }),
        // One lone vague complaint.
        mail({ messageId: 'lone@w.example', date: day(19), subject: 'hello', body: 'Something odd from 198.51.100.44.\n' }),
      ];
      await importMessages(store, mails.map((m, i) => msg(i, m)), { ourNets });
      const q = await store.queue();
      const rows = q.items.map((i) => [i.accused[0], i.queueClass]);
      // The repeats say little: network abuse with no clear leaning, ranked above the lone one by their count.
      expect(rows).toEqual([
        ['198.51.100.90', 'compromise'],
        ['198.51.100.33', 'other'], ['198.51.100.33', 'other'], ['198.51.100.33', 'other'],
        ['198.51.100.44', 'other'],
        ['198.51.100.80', 'false-positive'],
      ]);
      expect(q.counts).toMatchObject({ compromise: 1, repeat: 3, other: 4, 'false-positive': 1, phishing: 0, spam: 0 });
      expect(q.items[0].rankReason).toMatch(/^likely compromise: .*source port 770/);
      expect(q.items[1].rankReason).toMatch(/^no clear leaning yet; 3rd report about 198\.51\.100\.33 this week/);
      expect(q.items[3].rankReason).toMatch(/first of 3 reports/);
      expect(q.items[5].rankReason).toMatch(/^likely (backscatter|legitimate traffic): /);
      // The Repeat view and paging: the rows whose reason names other reports, whatever their class.
      const repeats = await store.queue({ class: 'repeat', limit: 2 });
      expect(repeats.items.map((i) => [i.accused[0], i.queueClass])).toEqual([['198.51.100.33', 'other'], ['198.51.100.33', 'other']]);
      expect(repeats.items.every((i) => /reports? about 198\.51\.100\.33/.test(i.rankReason))).toBe(true);
      expect(repeats.hasMore).toBe(true);

      // A full analysis outranks the first look: the lone case analysed as compromise moves up.
      const lone = q.items[4];
      await store.recordAnalysis(lone.id, { ...fakeResult(fakeComplaint({ accused: ['198.51.100.44'] }), 'compromise'), findings: [] }, 10);
      const q2 = await store.queue();
      expect(q2.items[0]).toMatchObject({ id: lone.id, queueClass: 'compromise' });
      expect(q2.items[0].rankReason).toMatch(/^compromise/);

      // Closed cases drop out.
      await store.setStatus(lone.id, 'closed');
      const q3 = await store.queue();
      expect(q3.items.map((i) => i.id)).not.toContain(lone.id);
      expect(q3.counts.compromise).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('changes status and tags of many cases in one transaction, with an audit line per case', async () => {
    const store = await CaseStore.open(join(root, 'q2'));
    try {
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const c = fakeComplaint({ text: `complaint ${i}`, accused: [`198.51.100.${i + 1}`] });
        ids.push((await store.createOrFindCase({ complaintRaw: `complaint ${i}`, complaintName: 'c.txt', complaint: c })).case.id);
      }
      await store.setStatus(ids[0], 'closed');
      expect(await store.setStatusMany(ids, 'closed')).toEqual({ changed: [ids[1], ids[2]], unchanged: [ids[0]] });
      expect(await store.addTagMany(ids, ' spam-run ')).toEqual({ changed: ids, unchanged: [] });
      expect(await store.addTagMany(ids, 'spam-run')).toEqual({ changed: [], unchanged: ids });
      for (const id of ids) {
        const c = await store.getCase(id);
        expect(c.status).toBe('closed');
        expect(c.tags).toEqual(['spam-run']);
        expect(c.audit.filter((a) => a.action === 'status_changed')).toHaveLength(1);
        expect(c.audit.filter((a) => a.action === 'tag_added')).toHaveLength(1);
      }
      // An unknown id refuses the whole change.
      await expect(store.setStatusMany([ids[0], 999], 'new')).rejects.toMatchObject({ code: 'not_found' });
      expect((await store.getCase(ids[0])).status).toBe('closed');
      expect(await store.removeTagMany(ids, 'spam-run')).toEqual({ changed: ids, unchanged: [] });
      expect((await store.queue()).items).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('answers a group of identical false-positive complaints with one template, personalised per case', async () => {
    const store = await CaseStore.open(join(root, 'q3'));
    try {
      const reporters = [['Alpha NOC', 'noc@alpha.example', '00:40:01', 4000], ['Beta CERT', 'cert@beta.example', '02:10:09', 5000], ['Gamma Abuse', 'abuse@gamma.example', '05:05:05', 6000]] as const;
      const mails = reporters.map(([name, addr, t, port], i) => mail({
        messageId: `g${i}@grp.example`, from: `${name} <${addr}>`, subject: `portscan from 198.51.100.80 (${name})`,
        body: `Port scan from your host 198.51.100.80:\n${synAckLine(t, port)}\n${synAckLine(t, port + 1)}\n`,
      }));
      // And one about another host: not in the group.
      mails.push(mail({ messageId: 'other@grp.example', subject: 'portscan from 198.51.100.81', body: `Port scan:\n${synAckLine('01:01:01', 7000, '198.51.100.81')}\n` }));
      const s = await importMessages(store, mails.map((m, i) => msg(i, m)), { ourNets });
      const groups = await store.caseGroups();
      expect(groups).toHaveLength(1);
      const g = groups[0];
      expect(g).toMatchObject({ accused: '198.51.100.80', activity: 'port-scan', caseIds: s.caseIds.slice(0, 3) });
      expect(['backscatter', 'legitimate']).toContain(g.verdict);
      expect((await store.groupOf(s.caseIds[0]))?.caseIds).toEqual(g.caseIds);
      const q = await store.queue();
      expect(q.items.filter((i) => i.groupKey === g.groupKey)).toHaveLength(3);

      const template = {
        subject: 'Re: {subject}',
        body: 'Dear {reporter},\n\nthe lines you quote from {accused}:\n{quoted_lines}\nat {times} are our web server answering.\n',
      };
      const { drafts } = await store.replyToGroup(g.caseIds, template);
      expect(drafts).toHaveLength(3);
      drafts.forEach((d, i) => {
        const [name, , t, port] = reporters[i];
        expect(d).toMatchObject({ caseId: g.caseIds[i], origin: 'edited', version: 1, subject: `Re: portscan from 198.51.100.80 (${name})` });
        expect(d.body).toContain(`Dear ${name},`);
        expect(d.body).toContain(`from 198.51.100.80:\nDec 18 ${t} fw kernel:`);
        expect(d.body).toContain(`DPT=${port + 1}`);
        expect(d.body).toMatch(new RegExp(`2025-12-18 ${t} UTC`));
        for (const [other, , , otherPort] of reporters) if (other !== name) { expect(d.body).not.toContain(other); expect(d.body).not.toContain(`DPT=${otherPort} `); }
      });
      for (const id of g.caseIds) expect((await store.getCase(id)).audit.some((a) => a.action === 'group_reply')).toBe(true);
      // Cases from different groups are refused, and nothing is saved.
      await expect(store.replyToGroup([g.caseIds[0], s.caseIds[3]], template)).rejects.toMatchObject({ code: 'invalid' });
      expect((await store.getCase(s.caseIds[3])).drafts).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

/** The SQL a call runs on any connection (sqlite3's own Database.all), with its parameters. */
async function sqlOf(call: () => Promise<unknown>): Promise<Array<{ sql: string; params: Params }>> {
  const proto = sqlite3.Database.prototype as unknown as { all: (...args: unknown[]) => unknown };
  const all = proto.all;
  const seen: Array<{ sql: string; params: Params }> = [];
  proto.all = function (this: unknown, ...args: unknown[]) {
    seen.push({ sql: args[0] as string, params: Array.isArray(args[1]) ? (args[1] as Params) : [] });
    return all.apply(this, args);
  };
  try {
    await call();
  } finally {
    proto.all = all;
  }
  return seen;
}

describe('queue reads', () => {
  // How fast that is on a given machine is the bench's (npm run bench); here, that no query grows with the store.
  it('reads the first screen of 10,000 open cases through the rank index: no table scan, no sort', async () => {
    const store = await CaseStore.open(join(root, 'q4'));
    await store.close();
    const db = await Database.open(join(root, 'q4', 'cases.sqlite'));
    await db.transaction(async (tx) => {
      // Four classes a case is filed in (compromise, phishing, malware hosting, other), every third a repeat.
      const st = await tx.prepare(`INSERT INTO cases (created_at, updated_at, received_at, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text,
        rank_class, rank_score, rank_reason, rank_repeat, report_class) VALUES (?, ?, ?, ?, 'c', x'00', '{}', '', ?, ?, 'r', ?, 'network-abuse')`);
      for (let i = 0; i < 10_000; i++) {
        await st.run([i, i, Date.UTC(2025, 0, 1) + i * 60_000, i.toString(16).padStart(64, '0'), [0, 2, 3, 4][i % 4], (i * 7919) % 1000, i % 3 === 0 ? 1 : 0]);
      }
      await st.finalize();
    });
    const s2 = await CaseStore.open(join(root, 'q4'));
    try {
      let page: QueuePage | undefined;
      let repeats: QueuePage | undefined;
      const queries = await sqlOf(async () => {
        page = await s2.queue({ limit: 50 });
        repeats = await s2.queue({ class: 'repeat', limit: 50 });
      });
      expect(page!.items).toHaveLength(50);
      expect(page!.counts.compromise).toBe(2500);
      expect(page!.items.map((i) => i.rankScore)).toEqual([...page!.items.map((i) => i.rankScore)].sort((a, b) => b - a));
      expect(page!.counts.repeat).toBe(3334);
      expect(repeats!.items).toHaveLength(50);
      expect(repeats!.counts).toEqual(page!.counts);
      expect(queries.length).toBeGreaterThanOrEqual(2);
      for (const q of queries) {
        const plan = (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${q.sql}`, q.params)).map((r) => r.detail);
        const onCases = plan.filter((d) => /^(SCAN|SEARCH) cases\b/.test(d));
        expect(onCases.length, q.sql).toBeGreaterThan(0);
        for (const d of onCases) expect(d, q.sql).toMatch(/USING (COVERING )?INDEX cases_queue/);
        expect(plan.filter((d) => /^SCAN (cases|c)\b|TEMP B-TREE/.test(d)), q.sql).toEqual([]);
      }
    } finally {
      await s2.close();
      await db.close();
    }
  });
});
