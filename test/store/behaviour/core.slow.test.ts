/**
 * The store's behaviour suite: the same operations on SQLite and on
 * PostgreSQL return the same results, field for field (ids, times from the
 * same clock, audit lines, custody, lists, search hits and their order), on
 * real complaints and captures from the corpus. Snippets are only required
 * to mark a match: FTS5 and ts_headline cut the text differently.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseStore } from '../../../store/case-store';
import { fakeComplaint } from '../helpers';
import { pgTitle, postgresSkip } from '../../helpers/postgres';
import { steppingClock, useBackends, type BackendName } from './backends';
import { corpusComplaints, PCAP_A, PCAP_BIG, runScenario, type CorpusComplaint } from './scenario';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(!!postgresSkip)(pgTitle('store behaviour: SQLite and PostgreSQL alike'), () => {
  const b = useBackends();
  let mails: CorpusComplaint[];
  beforeAll(async () => { mails = await corpusComplaints(40); });

  async function both<T>(fn: (store: CaseStore, name: BackendName, location: string) => Promise<T>): Promise<Record<BackendName, T>> {
    const out = {} as Record<BackendName, T>;
    for (const name of ['sqlite', 'postgres'] as const) {
      const location = await b.location(name);
      const store = await b.open(location, { now: steppingClock() });
      try {
        out[name] = await fn(store, name, location);
      } finally {
        await store.close();
      }
    }
    return out;
  }

  it('40 corpus complaints through create, evidence, runs, drafts, notes, tags, status, lists and search: identical results', async () => {
    const r = await both((store) => runScenario(store, mails));
    expect(Object.keys(r.postgres)).toEqual(Object.keys(r.sqlite));
    for (const key of Object.keys(r.sqlite)) expect(r.postgres[key], key).toEqual(r.sqlite[key]);
    // The searches are not vacuous: most find something, some find nothing, on both.
    const searches = Object.entries(r.sqlite).filter(([k]) => k.startsWith('search ') && k.endsWith('relevance'));
    expect(searches.filter(([, ids]) => (ids as number[]).length > 0).length).toBeGreaterThan(10);
    expect(searches.filter(([, ids]) => (ids as number[]).length === 0).length).toBeGreaterThan(0);
  });

  it('a search hit marks the words found, on both', async () => {
    const r = await both(async (store) => {
      for (const m of mails.slice(0, 10)) await store.createOrFindCase({ complaintRaw: m.raw, complaintName: m.name, complaint: m.complaint });
      return (await store.search('abuse')).items.map((h) => ({ id: h.id, marked: /«[^»]+»/.test(h.snippet) }));
    });
    expect(r.postgres).toEqual(r.sqlite);
    expect(r.sqlite.filter((h) => h.marked).length).toBeGreaterThan(0);
  });

  it('a CIDR searched for finds the cases with an address in it, marked in the snippet, on both', async () => {
    const r = await both(async (store) => {
      for (const m of mails.slice(0, 20)) await store.createOrFindCase({ complaintRaw: m.raw, complaintName: m.name, complaint: m.complaint });
      const block = `${mails.flatMap((m) => m.complaint.accused).find((a) => a.includes('.'))!.split('.').slice(0, 3).join('.')}.0/24`;
      return (await store.search(block)).items.map((h) => ({ id: h.id, snippet: h.snippet }));
    });
    expect(r.postgres).toEqual(r.sqlite);
    expect(r.sqlite.length).toBeGreaterThan(0);
    for (const h of r.sqlite) expect(h.snippet).toMatch(/^«[^»]+»/);
  });

  it('custody: a changed evidence byte is found by the same check on both, and re-analysis refuses it', async () => {
    const r = await both(async (store, name, location) => {
      const { case: c } = await store.createOrFindCase({ complaintRaw: mails[0].raw, complaintName: mails[0].name, complaint: mails[0].complaint });
      const ev = await store.attachEvidence(c.id, PCAP_A);
      const before = (await store.getCase(c.id, { verifyEvidence: true })).evidence.map((e) => e.custody);
      if (name === 'postgres') {
        const client = new pg.Client({ connectionString: location });
        await client.connect();
        await client.query("UPDATE evidence_blob_chunks SET data = overlay(data placing '\\x00'::bytea from 100) WHERE sha256 = $1 AND seq = 0", [ev.sha256]);
        await client.end();
      } else {
        const { path } = await store.evidencePath(ev.id);
        const { writeFileSync } = await import('node:fs');
        const bytes = readFileSync(path);
        bytes[99] ^= 0xff;
        writeFileSync(path, bytes);
      }
      const after = await store.getCase(c.id, { verifyEvidence: true });
      const refused = await store.reanalyze(c.id, () => { throw new Error('must not run'); }).then(() => 'ran', (e: { code: string }) => e.code);
      const pathRefused = await store.evidencePath(ev.id).then(() => 'given', (e: { code: string }) => e.code);
      const audit = (await store.getCase(c.id)).audit.map((a) => a.action);
      return { before, after: after.evidence.map((e) => [e.custody, e.lastVerifiedOk]), problem: after.custodyProblem, refused, pathRefused, audit };
    });
    expect(r.postgres).toEqual(r.sqlite);
    expect(r.sqlite).toMatchObject({ before: ['verified'], after: [['mismatch', false]], problem: true, refused: 'custody_mismatch', pathRefused: 'custody_mismatch' });
  });

  it('a NUL in a hostile mail is kept by SQLite and stored as U+FFFD by PostgreSQL (which cannot hold it); nothing else differs', async () => {
    const { parseComplaint } = await import('../../../analysis/complaint/parse-complaint');
    const raw = new TextEncoder().encode('From: noc@example.net\r\nSubject: port scan\u0000from your host\r\n\r\nYour host 198.51.100.7 port-scanned us.\r\n');
    const complaint = await parseComplaint(raw);
    expect(complaint.subject).toContain('\u0000');
    const r = await both(async (store) => {
      const { case: c } = await store.createOrFindCase({ complaintRaw: raw, complaintName: 'nul.eml', complaint });
      return { detail: await store.getCase(c.id), found: (await store.search('port')).items.map((h) => h.id) };
    });
    const unNul = (x: unknown): unknown => JSON.parse(JSON.stringify(x).replace(/\\u0000/g, '\\ufffd'));
    expect(r.postgres.detail.subject).toBe('port scan\uFFFDfrom your host');
    expect(r.postgres.detail.complaintRaw).toBe(r.sqlite.detail.complaintRaw); // the raw bytes keep it
    expect({ ...r.postgres, detail: { ...r.postgres.detail, complaintRaw: '' } }).toEqual(unNul({ ...r.sqlite, detail: { ...r.sqlite.detail, complaintRaw: '' } }));
    expect(r.sqlite.found).toEqual([r.sqlite.detail.id]);
  });

  it('a 2 MB complaint of 30,000 distinct hashes (more than a tsvector holds) is stored on both and found by its first words', async () => {
    const { randomBytes } = await import('node:crypto');
    const hashes = Array.from({ length: 30_000 }, () => randomBytes(32).toString('hex'));
    const complaint = fakeComplaint({ text: `Compromised host 198.51.100.9 sent these: ${hashes.join(' ')}` });
    const r = await both(async (store) => {
      const { case: c } = await store.createOrFindCase({ complaintRaw: complaint.text, complaintName: 'hashes.txt', complaint });
      return { id: c.id, first: (await store.search(hashes[0])).items.map((h) => h.id), word: (await store.search('compromised')).items.map((h) => h.id) };
    });
    expect(r.postgres).toEqual(r.sqlite);
    expect(r.sqlite).toEqual({ id: 1, first: [1], word: [1] });
  });

  it('a capture of more than one chunk goes in and comes back byte for byte', async () => {
    const want = sha256(readFileSync(PCAP_BIG));
    const r = await both(async (store) => {
      const { case: c } = await store.createOrFindCase({ complaintRaw: mails[2].raw, complaintName: mails[2].name, complaint: mails[2].complaint });
      const ev = await store.attachEvidence(c.id, PCAP_BIG);
      const { path, evidence } = await store.evidencePath(ev.id);
      return { sha: sha256(readFileSync(path)), recorded: evidence.sha256, size: evidence.size, custody: evidence.custody };
    });
    expect(r.postgres).toEqual(r.sqlite);
    expect(r.sqlite).toEqual({ sha: want, recorded: want, size: readFileSync(PCAP_BIG).length, custody: 'verified' });
  });
});
