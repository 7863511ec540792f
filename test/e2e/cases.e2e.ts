/**
 * The case history in the app: an analysis is saved as a case, shows up in
 * History, is found by search, opens on the Case page where its status, notes
 * and timeline change; the per-host view; New case starts empty after a saved
 * case, and the same complaint for a replied case becomes a new linked case.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CASES, gotoNewCase, openBrowser, screenshot, startServe, type Browser, type Served } from './harness';

const SEED = join(CASES, 'seed001-synflood-backscatter');

let served: Served;
let browser: Browser;

beforeAll(async () => {
  served = await startServe();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

async function analyseSeed(page: Page): Promise<void> {
  await page.locator('#complaint').fill(await readFile(join(SEED, 'complaint.txt'), 'utf8'));
  await page.getByTestId('evidence-input').setInputFiles(join(SEED, 'www-border.pcap'));
  await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('Control+Enter');
}

describe('case history (abuse-desk serve)', () => {
  it('saves an analysis as a case, finds it, changes it; New case starts empty and the same complaint again becomes a new linked case', async () => {
    const { page } = browser;
    await page.goto(served.url);
    await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
    await analyseSeed(page);
    await page.getByTestId('verdict-banner').waitFor({ timeout: 120_000 });
    const saved = page.getByTestId('saved-case');
    await saved.waitFor();
    expect(await saved.textContent()).toMatch(/Saved as case 1/);

    // History lists it.
    await page.keyboard.press('Alt+Digit5');
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    const rows = page.getByTestId('history-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/portscan from 198\.51\.100\.80[\s\S]*Backscatter[\s\S]*Analysed/);
    await screenshot(page, '11-history');

    // Search finds it, with the match marked; Enter on a single hit opens it.
    await page.keyboard.press('/');
    await page.locator('#history-search').pressSequentially('SYN');
    await expect.poll(async () => page.getByTestId('history-row').first().locator('mark').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(page, '11b-history-search');
    await page.locator('#history-search').press('Enter');
    const title = page.getByRole('heading', { level: 1 });
    await expect.poll(() => title.textContent()).toMatch(/#1 .*portscan/);

    // Status → replied, then a note; the timeline shows both.
    await page.getByTestId('status-select').selectOption('replied');
    const timeline = page.getByTestId('case-timeline');
    await expect.poll(() => timeline.textContent()).toContain('status analysed → replied');
    await page.getByRole('tab', { name: /Notes/ }).click();
    await page.getByLabel('Add a note').fill('Customer called: the web server was under a SYN flood, nothing to do on our side.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('note').first().waitFor();
    expect(await page.getByLabel('Add a note').inputValue()).toBe('');
    await page.getByRole('tab', { name: /Timeline/ }).click();
    await expect.poll(() => page.getByTestId('case-timeline').textContent()).toContain('Note added');
    expect(await page.getByTestId('case-timeline').textContent()).toMatch(/Case created[\s\S]*$/);
    await screenshot(page, '12-case');

    await page.getByRole('tab', { name: /Evidence/ }).click();
    const custody = page.getByTestId('evidence-custody');
    expect(await custody.count()).toBe(1);
    await page.getByRole('button', { name: /Verify SHA-256 now/ }).click();
    await expect.poll(() => custody.first().getAttribute('data-custody')).toBe('verified');
    await screenshot(page, '12b-case-evidence');

    // Export: the bundle downloads (a tar with the manifest and the evidence by SHA-256).
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('case-1.abuse-case.tar');
    const tar = await readFile((await download.path())!);
    expect(tar.subarray(0, 100).toString('utf8')).toMatch(/^manifest\.json|^complaint\//);
    expect(tar.includes(Buffer.from('evidence/'))).toBe(true);

    await page.getByRole('tab', { name: /Drafts/ }).click();
    await page.getByLabel('Reply body').waitFor();
    await screenshot(page, '12c-case-drafts');

    // The per-host view of the accused address.
    await page.getByRole('main').getByRole('button', { name: /198\.51\.100\.80/ }).first().click();
    await page.getByTestId('host-chart').waitFor();
    expect(await page.getByTestId('host-count').textContent()).toBe('1');
    await screenshot(page, '13-host');

    // New case after a saved case starts empty: nothing of case 1 leaks into the next complaint.
    await page.getByRole('button', { name: 'New case' }).click();
    await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
    expect(await page.locator('#complaint').inputValue()).toBe('');
    expect(await page.getByTestId('evidence-row').count()).toBe(0);
    await screenshot(page, '12d-new-case-empty');
    // Evidence attached by mistake can be removed before the analysis.
    await page.getByTestId('evidence-input').setInputFiles(join(SEED, 'www-border.pcap'));
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Remove www-border.pcap' }).click();
    await expect.poll(() => page.getByTestId('evidence-row').count()).toBe(0);

    // The same complaint again, for the replied case 1: a new case linked to it; case 1 keeps its run and status.
    await page.locator('#complaint').fill(await readFile(join(SEED, 'complaint.txt'), 'utf8'));
    await page.keyboard.press('Control+Enter');
    // Asked before the run: the replied case is reopened only when chosen.
    const prompt = page.getByTestId('repeat-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/already case 1[\s\S]*replied/);
    await prompt.getByRole('button', { name: 'New case', exact: true }).click();
    await page.getByTestId('saved-case').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('saved-case').textContent()).toMatch(/Saved as case 2/);
    await page.getByText('The same complaint as case 1: saved as case 2').first().waitFor();
    await screenshot(page, '12e-repeat-new-case');
    await page.keyboard.press('Alt+Digit5');
    await page.locator('#history-search').fill(''); // the search for "SYN" from above
    await expect.poll(() => page.getByTestId('history-row').count(), { timeout: 10_000 }).toBe(2);
    await page.getByTestId('history-row').filter({ hasText: 'Replied' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/#1 /);
    await page.getByRole('tab', { name: /Analysis runs/ }).click();
    expect(await page.getByRole('tabpanel').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('status-select').inputValue()).toBe('replied');
    // Re-analyse the stored case: a second run, the first kept.
    await page.getByRole('button', { name: 'Re-analyse' }).click();
    await expect.poll(() => page.getByRole('tabpanel').locator('tbody tr').count(), { timeout: 60_000 }).toBe(2);
    expect(browser.problems).toEqual([]);
  });

  it('looks right in the dark theme too', async () => {
    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      const page = dark.page;
      await gotoNewCase(page, served.url);
      // A second, different complaint: a second case (the compromised host).
      const other = join(CASES, 'seed003-udp770-compromise');
      await page.locator('#complaint').fill(await readFile(join(other, 'complaint.txt'), 'utf8'));
      await page.getByTestId('evidence-input').setInputFiles(join(other, 'lan-span.pcap'));
      await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
      await page.keyboard.press('Control+Enter');
      await page.getByTestId('saved-case').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('saved-case').textContent()).toContain('case 3');
      await page.keyboard.press('Alt+Digit5');
      await expect.poll(() => page.getByTestId('history-row').count()).toBe(3);
      await screenshot(page, '14-history-dark');
      // j moves to the older cases; Enter opens the oldest.
      await page.getByTestId('history-list').focus();
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('Enter');
      await page.getByTestId('case-timeline').waitFor();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^#1 /);
      await screenshot(page, '15-case-dark');
      await page.getByRole('main').getByRole('button', { name: /198\.51\.100\.80/ }).first().click();
      await page.getByTestId('host-chart').waitFor();
      await screenshot(page, '16-host-dark');
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });

  it('shows a broken chain of custody loudly', async () => {
    const { page } = browser;
    // Change one byte of the stored evidence behind the store's back.
    const evidenceRoot = join(served.dataDir, 'evidence');
    const files: Array<[string, Buffer]> = [];
    for (const sub of (await readdir(evidenceRoot)).filter((d) => /^[0-9a-f]{2}$/.test(d))) {
      for (const f of await readdir(join(evidenceRoot, sub))) files.push([join(evidenceRoot, sub, f), await readFile(join(evidenceRoot, sub, f))]);
    }
    for (const [file, original] of files) {
      const tampered = Buffer.from(original);
      tampered[200] ^= 0x01;
      await writeFile(file, tampered);
    }
    try {
      await gotoNewCase(page, served.url);
      await page.keyboard.press('Alt+Digit5');
      await page.getByTestId('history-row').filter({ hasText: 'Replied' }).click();
      await page.getByRole('tab', { name: /Evidence/ }).click();
      await page.getByRole('button', { name: /Verify SHA-256 now/ }).click();
      const alarm = page.getByTestId('custody-alarm');
      await alarm.waitFor();
      expect(await alarm.textContent()).toContain('CHAIN OF CUSTODY BROKEN');
      expect(await page.getByTestId('evidence-custody').getAttribute('data-custody')).toBe('mismatch');
      await screenshot(page, '17-custody-mismatch');
      // Re-analysing refuses to read evidence that changed.
      await page.getByRole('button', { name: 'Re-analyse' }).click();
      await page.getByTestId('store-problem').or(page.getByText(/Could not re-analyse/)).first().waitFor();
    } finally {
      for (const [file, original] of files) await writeFile(file, original);
    }
  });

  it('keeps the work on screen and says why when the case store is damaged', async () => {
    // A data folder whose database is not a database: the store cannot open, the app still analyses.
    const broken = await startServe({ prepare: (dir) => writeFile(join(dir, 'cases.sqlite'), 'this is not a database'.repeat(100)) });
    const b = await openBrowser();
    try {
      const page = b.page;
      await page.goto(broken.url);
      await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
      await analyseSeed(page);
      await page.getByTestId('verdict-banner').waitFor({ timeout: 120_000 });
      const banner = page.getByTestId('store-problem');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/damaged[\s\S]*nothing on screen was lost/);
      expect(await page.getByText('Not saved to history').count()).toBe(1);
      await screenshot(page, '18-store-damaged');
      await page.getByRole('button', { name: 'New case' }).click();
      expect(await page.locator('#complaint').inputValue()).toContain('198.51.100.80');
      await page.getByRole('button', { name: /Reply draft/ }).click();
      expect(await page.getByLabel('Reply body').inputValue()).not.toBe('');
    } finally {
      await b.close();
      await broken.close();
    }
  });
});
