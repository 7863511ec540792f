import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { casesDir, corpusDir } from '../../helpers/paths';
import { useTempStore } from '../store-fixture';

/**
 * A case is dated by its complaint, not by when it was pasted: the Date
 * header when there is one, else the incident it states, so History sorts
 * old reports as old and the host view's "last seen" is the incident's day.
 */
const t = useTempStore();

async function save(text: string, name: string) {
  const raw = new TextEncoder().encode(text);
  const complaint = await parseComplaint(raw, { fileName: name, ourNets: ['198.51.100.0/24'] });
  return (await t.store.createOrFindCase({ complaintRaw: raw, complaintName: name, complaint })).case;
}

describe('the case date', () => {
  it('a pasted complaint with no Date header is dated by the time it states', async () => {
    const text = readFileSync(join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt'), 'utf8');
    const c = await save(text, 'pasted');
    // "starting 2025-12-18 00:40 UTC", not today.
    expect(new Date(c.receivedAt).toISOString()).toBe('2025-12-18T00:40:00.000Z');
    const host = await t.store.hostHistory('198.51.100.80');
    expect(host.lastSeen).toBe(Date.parse('2025-12-18T00:40:00Z'));
  });

  it('a mail is dated by its Date header; History puts a report pasted today about an older incident below a newer mail', async () => {
    const mail = readFileSync(join(corpusDir, 'complaints', 'abuseio', 'spamexperts__3.eml'), 'utf8');
    const fromMail = await save(mail, 'spamexperts__3.eml');
    const parsed = await parseComplaint(new TextEncoder().encode(mail), { fileName: 'spamexperts__3.eml' });
    expect(fromMail.receivedAt).toBe(parsed.dateMs);
    // Another corpus mail as if it came two days after the incident below was reported.
    const other = readFileSync(join(corpusDir, 'complaints', 'abuseio', 'netcraft__Netcraft_Example_1.eml'), 'utf8');
    const newer = await save(other.replace(/^Date: .*$/m, 'Date: Sat, 20 Dec 2025 09:00:00 +0000'), 'newer.eml');
    const pasted = await save(readFileSync(join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt'), 'utf8'), 'pasted');
    expect((await t.store.listCases()).items.map((c) => c.id)).toEqual([newer.id, pasted.id, fromMail.id]);
  });

  it('a complaint that states no time is dated when it came', async () => {
    const before = Date.now();
    const c = await save('Subject: scan\n\nPlease stop 198.51.100.7 scanning us.\n', 'pasted');
    expect(c.receivedAt).toBeGreaterThanOrEqual(before);
  });
});
