/**
 * The same operations on a store, whichever backend: real complaints from
 * the corpus (the AbuseIO mails) stored, found again, given evidence (corpus
 * captures), analysed, drafted, noted, tagged, closed; then everything read
 * back (every case whole, lists with filters, searches, related cases, host
 * histories). The behaviour suite runs this on SQLite and PostgreSQL and
 * compares what each returned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Complaint } from '../../../analysis/complaint/complaint';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import type { CaseStore, Verdict } from '../../../store/case-store';
import { fakeResult } from '../helpers';

export const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');
export const PCAP_A = join(CORPUS, 'pcap/evilfingers__ACK_SCAN.pcap');
export const PCAP_B = join(CORPUS, 'pcap/wireshark-wiki__nmap_OS_scan.pcap');
/** The largest corpus capture (1.4 MB: two chunks on PostgreSQL). */
export const PCAP_BIG = join(CORPUS, 'pcap/zeek__http_1000-requests-one-dropped-response.pcap');

export interface CorpusComplaint { name: string; raw: Uint8Array; complaint: Complaint }

/** The AbuseIO sample mails, parsed (the first `n`, by name). */
export async function corpusComplaints(n = 40): Promise<CorpusComplaint[]> {
  const dir = join(CORPUS, 'complaints/abuseio');
  const names = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().slice(0, n);
  return Promise.all(names.map(async (name) => {
    const raw = new Uint8Array(readFileSync(join(dir, name)));
    return { name, raw, complaint: await parseComplaint(raw) };
  }));
}

/** Search texts: words, phrases, prefixes, an address, a domain, and text that is FTS syntax. */
export function searchQueries(mails: CorpusComplaint[]): string[] {
  const accused = mails.flatMap((m) => m.complaint.accused).slice(0, 3);
  const domains = mails.map((m) => m.complaint.reporter?.address?.split('@')[1]).filter((d): d is string => !!d).slice(0, 2);
  // Address blocks are matched against the cases' addresses, alone and with words.
  const blocks = accused.filter((a) => a.includes('.')).slice(0, 2).map((a) => `${a.split('.').slice(0, 3).join('.')}.0/24`);
  return ['spam', 'phishing', 'malware', 'scan', 'brute force', '"open resolver"', 'copyright', 'botnet', 'infringement',
    'abuse', 'drone', 'ssh', 'Überprüfung', 'nosuchwordanywhere', '"', 'AND OR NOT', 'spam*', 'spa', 'ab', ...accused, ...domains,
    ...blocks, ...blocks.map((b) => `spam ${b}`), '0.0.0.0/0', '2001:db8::/32'];
}

const VERDICTS: Verdict[] = ['backscatter', 'compromise', 'legitimate', 'inconclusive'];

/** Run the operations; returns every result, in order, keyed by what was done. */
export async function runScenario(store: CaseStore, mails: CorpusComplaint[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const ids: number[] = [];
  for (const m of mails) {
    const r = await store.createOrFindCase({ complaintRaw: m.raw, complaintName: m.name, complaint: m.complaint });
    out[`create ${m.name}`] = r;
    ids.push(r.case.id);
  }
  out['submitted again'] = await store.createOrFindCase({ complaintRaw: mails[0].raw, complaintName: 'again.eml', complaint: mails[0].complaint });
  out['find duplicate'] = await store.findDuplicate(mails[1].raw);
  const [c1, c2, c3, c4, c5, c6] = ids;
  out['attach A'] = await store.attachEvidence(c1, PCAP_A);
  out['attach A again'] = await store.attachEvidence(c1, { path: PCAP_A, originalName: 'renamed.pcap' });
  out['attach B'] = await store.attachEvidence(c2, PCAP_B, { format: 'pcap' });
  out['attach A elsewhere'] = await store.attachEvidence(c3, PCAP_A);
  for (let i = 0; i < 12; i++) {
    const m = mails[i];
    const run = await store.recordAnalysis(ids[i], fakeResult(m.complaint, VERDICTS[i % 4], '0.1.0', i === 0 ? [{ file: 'evilfingers__ACK_SCAN.pcap', firstTs: 1_000_000.5, lastTs: 1_000_900 }] : []), 10 + i / 4);
    out[`run ${i}`] = run;
  }
  out['draft 1'] = await store.saveDraft(c1, { subject: 'Re: your report', body: 'We looked: backscatter.\n', origin: 'edited' });
  const d2 = await store.saveDraft(c1, { subject: 'Re: your report', body: 'We looked again: backscatter, spoofed.\n', origin: 'edited' });
  out['draft 2'] = d2;
  out['sent'] = await store.markDraftSent(d2.id);
  out['note'] = await store.addNote(c2, 'Called the customer; they run an open resolver. Ticket 4711.');
  out['tag many'] = await store.addTagMany([c1, c2, c3, c4, c5], 'wave-2026-03');
  out['untag'] = await store.removeTag(c3, 'wave-2026-03');
  out['tag'] = await store.addTag(c4, 'customer:acme');
  out['close'] = await store.setStatus(c4, 'closed');
  out['reply many'] = await store.setStatusMany([c5, c6], 'replied');
  out['verify'] = await store.verifyEvidence(c1);

  for (const id of ids) out[`case ${id}`] = await store.getCase(id);
  out['case verified'] = await store.getCase(c1, { verifyEvidence: true });
  const accused = mails[0].complaint.accused[0];
  const lists: Array<Parameters<CaseStore['listCases']>[0]> = [
    {}, { limit: 7 }, { limit: 7, offset: 7 }, { status: 'new' }, { status: ['replied', 'closed'] }, { verdict: 'compromise' },
    { tag: 'wave-2026-03' }, { reporterDomain: mails[0].complaint.reporter?.address?.split('@')[1] }, { from: '2000-01-01', to: '2030-01-01' },
    ...(accused ? [{ accused }, { accused: accused.includes(':') ? `${accused}/64` : `${accused}/16` }] : []),
  ];
  for (const f of lists) out[`list ${JSON.stringify(f)}`] = await store.listCases(f);
  for (const q of searchQueries(mails)) {
    out[`search ${q}`] = withoutSnippets(await store.search(q));
    out[`search ${q} closed`] = withoutSnippets(await store.search(q, { status: 'new', limit: 5 }));
    const rel = await store.search(q, { order: 'relevance', limit: 1000 });
    out[`search ${q} relevance`] = rel.items.map((h) => h.id).sort((a, b) => a - b);
  }
  out['related'] = await store.relatedCases(c1);
  if (accused) out['host history'] = await store.hostHistory(accused);
  return out;
}

/** Search results with the snippet replaced by whether it marks a match (FTS5 and ts_headline cut text differently). */
function withoutSnippets(page: Awaited<ReturnType<CaseStore['search']>>): unknown {
  return { ...page, items: page.items.map((h) => ({ ...h, snippet: h.snippet === '' ? '' : 'marked' })) };
}
