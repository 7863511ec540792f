/**
 * A desk of two: Alice's and Bob's `serve` on one PostgreSQL database (a
 * throw-away cluster, `--store postgres://…`), each in its own browser.
 * What Alice does reaches Bob's window within a second: her claim (the
 * badge on his queue row, the bar on the case when he opens it, light and
 * dark screenshots team-*), her reply (the case replied) and her close.
 */
import { join } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store';
import { pgTitle, postgresSkip, startPostgres, type PgCluster } from '../helpers/postgres';
import { corpusComplaints } from '../store/behaviour/scenario';
import { openBrowser, screenshot, startServe, type Browser, type Served } from './harness';

let cluster: PgCluster | undefined;
const served: Served[] = [];
const browsers: Browser[] = [];
let caseId = 0;

/** Start one operator's serve on the shared database (operator name in its desk settings). */
async function deskApp(operator: string, url: string): Promise<{ served: Served; browser: Browser; page: Page }> {
  const s = await startServe({
    args: ['--store', url],
    prepare: async (dir) => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'desk-settings.json'), JSON.stringify({ operator, claimIdleMinutes: 15, store: null }), { mode: 0o600 });
    },
  });
  served.push(s);
  const b = await openBrowser();
  browsers.push(b);
  await b.page.goto(s.url);
  await b.page.getByTestId('queue-row').first().waitFor();
  return { served: s, browser: b, page: b.page };
}

/** How long until `check` holds on the page (ms), polling every 20 ms for up to 5 s. */
async function msUntil(check: () => Promise<boolean>, from: number): Promise<number> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return Date.now() - from;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('not seen within 5 s');
}

describe.skipIf(!!postgresSkip)(pgTitle('two operators on one shared store'), () => {
  let alice: Awaited<ReturnType<typeof deskApp>>;
  let bob: Awaited<ReturnType<typeof deskApp>>;

  beforeAll(async () => {
    cluster = await startPostgres();
    const url = cluster.createDatabase();
    // Three complaints of the corpus in the shared history, each with a reply drafted.
    const seed = await CaseStore.open(url, { operator: 'intake' });
    for (const m of await corpusComplaints(3)) {
      const { case: c } = await seed.createOrFindCase({ complaintRaw: m.raw, complaintName: m.name, complaint: m.complaint });
      await seed.saveDraft(c.id, { subject: `Re: ${m.complaint.subject ?? 'your report'}`, body: 'Hello,\n\nWe have taken the host off the network.\n', origin: 'edited' });
      caseId ||= c.id;
    }
    await seed.close();
    [alice, bob] = [await deskApp('alice', url), await deskApp('bob', url)];
  });

  afterAll(async () => {
    for (const b of browsers) await b.close();
    for (const s of served) await s.close();
    cluster?.stop();
  });

  const row = (p: Page) => p.getByTestId('queue-row').filter({ hasText: `#${caseId}` });

  it("Alice's claim shows on Bob's queue row and case within a second", async () => {
    await row(alice.page).click();
    await alice.page.getByTestId('claim-bar').getByText('You are working on this case').waitFor();
    const claimedAt = Date.now();
    const ms = await msUntil(async () => (await row(bob.page).getByTestId('claim-badge').count()) > 0, claimedAt);
    console.log(`claim reached Bob's queue in ${ms} ms`);
    expect(ms).toBeLessThan(1000);
    expect(await row(bob.page).getByTestId('claim-badge').textContent()).toMatch(/^Claimed by alice until (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC$/);
    await screenshot(bob.page, 'team-claimed-queue-light');
    // The dark theme in a window of its own (switching the scheme of a loaded page leaves native controls light).
    const dark = await openBrowser({ colorScheme: 'dark' });
    browsers.push(dark);
    await dark.page.goto(bob.served.url);
    await row(dark.page).getByTestId('claim-badge').waitFor();
    await screenshot(dark.page, 'team-claimed-queue-dark');
    await row(dark.page).click();
    await dark.page.getByTestId('claim-bar').getByText(/Claimed by alice/).waitFor();
    await screenshot(dark.page, 'team-claimed-case-dark');

    await row(bob.page).click();
    const bar = bob.page.getByTestId('claim-bar');
    await bar.getByText(/Claimed by alice/).waitFor();
    expect(await bar.textContent()).toMatch(/Claimed by alice until (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC/);
    expect(await bob.page.getByTestId('take-over').isVisible()).toBe(true);
    await screenshot(bob.page, 'team-claimed-case-light');
  });

  it("Alice's reply and close reach Bob's open case within a second", async () => {
    const status = () => bob.page.getByTestId('status-select').inputValue();
    expect(await status()).toBe('new');
    await alice.page.getByRole('tab', { name: /Drafts/ }).click();
    await alice.page.getByRole('button', { name: 'Mark as sent' }).first().click();
    await alice.page.getByTestId('status-select').and(alice.page.locator('.replied')).waitFor();
    const replied = await msUntil(async () => (await status()) === 'replied', Date.now());
    expect(replied).toBeLessThan(1000);

    await alice.page.getByTestId('status-select').selectOption('closed');
    await alice.page.getByTestId('status-select').and(alice.page.locator('.closed')).waitFor();
    const closed = await msUntil(async () => (await status()) === 'closed', Date.now());
    expect(closed).toBeLessThan(1000);
    console.log(`reply reached Bob's case in ${replied} ms, close in ${closed} ms`);
    // Bob's queue no longer lists it.
    await bob.page.getByTestId('nav-queue').click();
    await bob.page.getByTestId('queue-row').first().waitFor();
    expect(await row(bob.page).count()).toBe(0);
    for (const b of browsers) expect(b.problems).toEqual([]);
  });
});
