/**
 * Two operators' apps (two processes) on one PostgreSQL database press Send
 * on the same case at the same moment, 100 rounds, each with their own
 * draft, through the real ReplyService to a real SMTP server: every round
 * exactly one mail leaves and is recorded, the other app is told who replied
 * or is replying, and the audit trail names the one sender of each case.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store';
import { pgTitle, postgresSkip, startPostgres, type PgCluster } from '../helpers/postgres';
import { corpusComplaints, type CorpusComplaint } from '../store/behaviour/scenario';

const repoRoot = join(import.meta.dirname, '../..');
const CHILD = join(import.meta.dirname, 'children/reply-sender.ts');
const ROUNDS = 100;

interface Outcome { caseId: number; draftId: number; ok: boolean; code?: string; message?: string }

/** One app: its lines on stdout, read one at a time. */
function app(url: string, operator: string, port: number, dir: string): { proc: ChildProcess; next: () => Promise<Record<string, unknown>>; stderr: () => string } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, url, operator, String(port), dir], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const lines: string[] = [];
  const waiting: Array<(l: string) => void> = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => { const w = waiting.shift(); if (w) w(l); else lines.push(l); });
  proc.on('exit', (code) => { for (const w of waiting.splice(0)) w(JSON.stringify({ exited: code, stderr: err })); });
  return {
    proc,
    next: () => new Promise((done) => { const l = lines.shift(); if (l !== undefined) done(JSON.parse(l)); else waiting.push((x) => done(JSON.parse(x))); }),
    stderr: () => err,
  };
}

describe.skipIf(!!postgresSkip)(pgTitle('two apps replying to the same cases on one PostgreSQL database'), () => {
  let cluster: PgCluster;
  let dir: string;
  let mails: CorpusComplaint[];
  beforeAll(async () => {
    cluster = await startPostgres();
    dir = await mkdtemp(join(tmpdir(), 'ad-reply-race-'));
    // Complaints we can answer: the corpus mails that name their reporter.
    mails = (await corpusComplaints(81)).filter((m) => m.complaint.reporter?.address);
  });
  afterAll(async () => {
    cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`${ROUNDS} rounds of both sending at once: one reply per case, the other told who, the audit whole`, async () => {
    const url = cluster.createDatabase();
    const received: Buffer[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false,
      onData(stream, _s, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => { received.push(Buffer.concat(chunks)); cb(); });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    const intake = await CaseStore.open(url, { operator: 'intake' });
    const apps = ['alice', 'bob'].map((op) => ({ op, ...app(url, op, port, join(dir, op)) }));
    try {
      for (const a of apps) expect(await a.next(), a.stderr()).toEqual({ ready: true });
      const caseIds: number[] = [];
      const tally: Record<string, number> = { alice: 0, bob: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        // Past the corpus, a mail comes again: its earlier case is replied, so it opens a new (repeat) case.
        const m = mails[round % mails.length];
        const { case: c, existed } = await intake.createOrFindCase({ complaintRaw: m.raw, complaintName: m.name, complaint: m.complaint });
        expect(existed).toBe(false);
        caseIds.push(c.id);
        const at = Date.now() + 250;
        for (const a of apps) a.proc.stdin!.write(`${JSON.stringify({ caseId: c.id, at })}\n`);
        const outcomes = await Promise.all(apps.map((a) => a.next())) as unknown as Outcome[];
        const winners = outcomes.filter((o) => o.ok);
        expect(winners.length, JSON.stringify(outcomes)).toBe(1);
        const w = outcomes.indexOf(winners[0]);
        const loser = outcomes[1 - w];
        tally[apps[w].op]++;
        expect(loser.code).toBe('conflict');
        expect(loser.message).toMatch(new RegExp(`^(${apps[w].op} is sending a reply to case ${c.id} \\(since \\d{4}-|Case ${c.id} was already replied to by ${apps[w].op} at \\d{4}-)`));
      }
      // Every case: one mail on the wire, from the winner's draft; one sent reply, one reply_sent line naming the winner.
      expect(received.length).toBe(ROUNDS);
      const subjects = await Promise.all(received.map(async (r) => (await simpleParser(r)).subject ?? ''));
      expect(caseIds.map((id) => subjects.filter((s) => s.includes(`[AbuseDesk #${id}]`)).length)).toEqual(caseIds.map(() => 1));
      for (const id of caseIds) {
        const detail = await intake.getCase(id);
        const sent = await intake.sentRepliesOf(id);
        expect(sent.length).toBe(1);
        const lines = detail.audit.filter((a) => a.action === 'reply_sent');
        expect(lines.length).toBe(1);
        const sentDrafts = detail.drafts.filter((d) => d.sentAt !== null);
        expect(sentDrafts.map((d) => d.id)).toEqual([sent[0].draftId]);
        expect(sentDrafts[0].body).toBe(`Reply written by ${lines[0].operator}.`);
        expect(detail.audit.filter((a) => a.action === 'draft_saved').length).toBe(2);
        expect(detail.status).toBe('replied');
      }
      expect(tally.alice + tally.bob).toBe(ROUNDS);
      console.log(`reply race on PostgreSQL: ${ROUNDS} rounds, alice won ${tally.alice}, bob ${tally.bob}`);
    } finally {
      for (const a of apps) a.proc.stdin!.end();
      await Promise.all(apps.map((a) => new Promise((r) => (a.proc.exitCode !== null ? r(null) : a.proc.on('exit', r)))));
      await intake.close();
      await new Promise((r) => server.close(() => r(null)));
    }
  });
});
