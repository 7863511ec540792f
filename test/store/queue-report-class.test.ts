import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMessage } from '../../services/intake/message';
import { CaseStore } from '../../store/case-store';
import { importMessages } from '../../store/intake';
import type { QueueItem } from '../../store/intake-types';
import { abuseioSamples } from './intake-helpers';
import { fakeComplaint, fakeResult, tempDir } from './helpers';

// Our networks as in the intake tests, with the samples' other private ranges: the samples accuse addresses in them.
const ourNets = ['198.51.100.0/24', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

let root = '';
let cleanup: () => Promise<void> = async () => undefined;
let store: CaseStore;
let items: QueueItem[] = [];
let counts: Record<string, number> = {};

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('ad-queue-class-'));
  store = await CaseStore.open(join(root, 'data'), { now: () => Date.UTC(2025, 11, 20) });
  const msgs = abuseioSamples().map((s, i) => describeMessage(s.raw, { kind: 'eml', path: `/in/${i}.eml`, filename: s.name }));
  await importMessages(store, msgs, { ourNets });
  const page = await store.queue({ limit: 1000 });
  items = page.items;
  counts = page.counts;
});
afterAll(async () => {
  await store?.close();
  await cleanup();
});

describe('the queue of the imported AbuseIO mails', () => {
  it('files the cases by report type: no phishing, spam or Shadowserver report is called a compromise, a worm or legitimate', async () => {
    const subjectOf = (re: RegExp) => items.filter((i) => re.test(i.subject ?? ''));
    // Netcraft's phishing reports (subject "phishing attack at ...") are phishing, whatever the first look leaned to.
    expect(subjectOf(/phishing attack at/).map((i) => i.queueClass)).toEqual(subjectOf(/phishing attack at/).map(() => 'phishing'));
    expect(subjectOf(/phishing attack at/).length).toBeGreaterThan(0);
    // Shadowserver's open-resolver and NTP scans: open services, said in the reason.
    const resolver = subjectOf(/dns_openresolver/);
    const ntp = subjectOf(/scan_ntp-sample/);
    expect([...resolver, ...ntp].map((i) => i.queueClass)).toEqual(['open-service', 'open-service']);
    expect(resolver[0].rankReason).toMatch(/^open service report: open DNS resolver/);
    expect(ntp[0].rankReason).toMatch(/^open service report: NTP/);
    // Cyscon's hosted malware URL: malware hosting, not worm-like traffic.
    expect(subjectOf(/Malicious content .* hosted on/).map((i) => i.queueClass).every((c) => c === 'malware-hosting')).toBe(true);
    expect(subjectOf(/Notice of (Claimed Infringement|Unauthorized Use)/).map((i) => i.queueClass)).toEqual(['copyright', 'copyright']);
    // Only network abuse carries the first look's verdict as its class.
    for (const i of items) {
      if (!['compromise', 'other', 'false-positive'].includes(i.queueClass)) expect(i.rankReason, i.subject ?? '').not.toMatch(/likely|worm|legitimate/);
    }
    expect(counts.compromise).toBeLessThan(15);
    expect(counts.spam).toBeGreaterThan(counts.compromise);
  });

  it('counts as Repeat exactly the rows whose reason names other reports about their host', async () => {
    const saying = items.filter((i) => /reports? about /.test(i.rankReason));
    expect(counts.repeat).toBe(saying.length);
    expect(saying.some((i) => /8th report about 10\.0\.2\.35 this week/.test(i.rankReason))).toBe(true);
    const view = await store.queue({ class: 'repeat', limit: 1000 });
    expect(view.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(saying.map((i) => i.id).sort((a, b) => a - b));
    // Every open case is in exactly one class; Repeat is a view over them.
    const filed = Object.entries(counts).filter(([c]) => c !== 'repeat').reduce((s, [, n]) => s + n, 0);
    expect(filed).toBe(items.length);
  });

  it('puts an analysed compromise above every first look, and an analysed inconclusive case under its run verdict', async () => {
    const firstLooks = items.filter((i) => i.queueClass === 'compromise');
    expect(firstLooks.length).toBeGreaterThan(1);
    const [top, , ...rest] = firstLooks;
    const last = rest.at(-1) ?? firstLooks[1];
    const worm = (id: number, accused: string) => fakeComplaint({ accused: [accused], text: `worm from ${accused}` });
    // The last-ranked first look, analysed: a 98% compromise from our own evidence, now first.
    await store.recordAnalysis(last.id, { ...fakeResult(worm(last.id, last.accused[0]), 'compromise'), confidence: 0.98, findings: [] }, 10);
    // The top first look, analysed inconclusive: its run's verdict replaces the first-look badge and class.
    await store.recordAnalysis(top.id, { ...fakeResult(worm(top.id, top.accused[0]), 'inconclusive'), confidence: 0.52, findings: [] }, 10);
    const after = (await store.queue({ limit: 1000 })).items;
    expect(after[0]).toMatchObject({ id: last.id, queueClass: 'compromise', verdict: 'compromise' });
    expect(after[0].rankReason).toMatch(/^compromise \(analysed, 98%\)/);
    const moved = after.find((i) => i.id === top.id)!;
    expect(moved).toMatchObject({ queueClass: 'other', verdict: 'inconclusive' });
    expect(moved.rankReason).toMatch(/^inconclusive after analysis \(52% sure nothing settles it\)/);
  });
});
