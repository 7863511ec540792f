/**
 * A case owns its evidence and its verdict, and the operator decides what a
 * repeat does: on `abuse-desk serve` in Chromium, Settings → Customers imports
 * the list (the customer then shows on the case, the queue and the host view);
 * New case flags an unreadable file and leaves it out; the case page adds,
 * leaves out and removes evidence (audited) and accepts an older run as the
 * headline; the same complaint again asks first (a new linked case, or reopen
 * the answered one); `c` in the queue closes with an Undo. Screenshots 30–39.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CASES, gotoNewCase, openBrowser, screenshot as shoot, startServe, type Browser, type Served } from './harness';

const SEED = join(CASES, 'seed001-synflood-backscatter');
const OTHER = join(CASES, 'seed003-udp770-compromise', 'lan-span.pcap');

let served: Served;
let browser: Browser;
let dir: string;

/** Screenshots without the toasts of earlier steps. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.toast'), undefined, { timeout: 15_000 });
  await shoot(page, name);
}

beforeAll(async () => {
  served = await startServe();
  browser = await openBrowser();
  dir = await mkdtemp(join(tmpdir(), 'abuse-desk-e2e-own-'));
  await writeFile(join(dir, 'customers.csv'), 'prefix,customer,contact,notes\n198.51.100.0/24,Example Hosting GmbH,noc@hosting.example,Colocation rack 4\n192.0.2.0/24,Lab,,\nnot-a-prefix,Broken row,,\n');
  await writeFile(join(dir, 'notes.bin'), 'These are the operator\'s notes, not a capture.\n'.repeat(20));
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await rm(dir, { recursive: true, force: true });
});

async function tab(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

describe('cases own their evidence (abuse-desk serve)', () => {
  it('imports customers, flags an unreadable file, and changes a case\'s evidence and accepted run', async () => {
    const { page } = browser;
    await gotoNewCase(page, served.url);

    // Settings → Customers: the list imported from a file, with its count, source and the bad row named.
    await page.getByRole('button', { name: 'Settings' }).click();
    const cust = page.getByTestId('customer-settings');
    await cust.scrollIntoViewIfNeeded();
    expect(await page.getByTestId('customer-info').textContent()).toContain('No customer list imported yet');
    await page.getByTestId('customer-file').setInputFiles(join(dir, 'customers.csv'));
    await expect.poll(() => cust.getByRole('status').textContent()).toMatch(/Imported 2 prefixes from customers\.csv, 1 row skipped/);
    expect(await page.getByTestId('customer-info').textContent()).toMatch(/2\s*prefixes from\s*customers\.csv/);
    expect(await cust.textContent()).toContain('not-a-prefix');
    await cust.screenshot({ path: join(process.cwd(), 'test', 'e2e', 'screenshots', '30-settings-customers.png') });

    // New case: the unreadable file is flagged before the run and left out of it.
    await page.getByRole('button', { name: 'New case' }).click();
    await page.locator('#complaint').fill(await readFile(join(SEED, 'complaint.txt'), 'utf8'));
    await page.getByTestId('evidence-input').setInputFiles([join(SEED, 'www-border.pcap'), join(dir, 'notes.bin')]);
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    const flagged = page.getByTestId('evidence-unreadable');
    await flagged.waitFor({ timeout: 60_000 });
    expect(await flagged.textContent()).toMatch(/^\s*Cannot be read: \S/);
    expect(await page.getByTestId('evidence-row').filter({ hasText: 'notes.bin' }).textContent()).toContain('left out of the analysis');
    await screenshot(page, '31-new-case-unreadable');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('saved-case').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('saved-case').textContent()).toMatch(/Saved as case 1/);

    // The case: its customer, and only the readable file as evidence.
    await page.getByTestId('saved-case').click();
    await page.getByTestId('case-timeline').waitFor();
    const facts = page.getByRole('region', { name: 'Case summary' });
    await expect.poll(() => facts.getByTestId('customer').textContent()).toMatch(/Example Hosting GmbH\s*198\.51\.100\.0\/24\s*noc@hosting\.example\s*Colocation rack 4/);
    await tab(page, /Evidence/);
    const rows = page.getByTestId('evidence-custody');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('www-border.pcap');

    // Add a file, leave it out of the next run, then remove it from the case: kept, listed as removed, audited.
    await page.getByTestId('case-evidence-input').setInputFiles(OTHER);
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
    const lan = rows.filter({ hasText: 'lan-span.pcap' });
    await lan.getByLabel('Read by the next run').uncheck();
    await expect.poll(() => lan.getAttribute('data-excluded')).toBe('true');
    expect(await page.getByRole('tabpanel').textContent()).toContain('Re-analysis reads 1 of 2 files');
    await screenshot(page, '32-case-evidence-excluded');
    await page.getByRole('button', { name: 'Remove lan-span.pcap from the case' }).click();
    await page.getByLabel('Why is lan-span.pcap removed (optional)').fill('capture of another link');
    await page.getByRole('button', { name: 'Remove from case' }).click();
    await expect.poll(() => lan.getAttribute('data-removed')).toBe('true');
    expect(await lan.textContent()).toMatch(/Removed .*kept in the vault/);
    await screenshot(page, '33-case-evidence-removed');
    await tab(page, /Timeline/);
    const timeline = await page.getByTestId('case-timeline').textContent();
    expect(timeline).toMatch(/Evidence left out[\s\S]*lan-span\.pcap left out of the next run/);
    expect(timeline).toMatch(/Evidence removed[\s\S]*lan-span\.pcap removed from the case \(capture of another link\); kept in the vault, SHA-256 [0-9a-f]{64}/);

    // Re-analyse (reads www-border.pcap only), then accept the first run again as the headline.
    await page.getByRole('button', { name: 'Re-analyse' }).click();
    await tab(page, /Analysis runs/);
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 120_000 }).toBe(2);
    expect(await facts.getByTestId('accepted-run').textContent()).toBe('from run #2');
    await page.getByTestId('run-row').nth(1).getByTestId('accept-run').click();
    await expect.poll(() => facts.getByTestId('accepted-run').textContent()).toBe('from run #1');
    expect(await page.getByTestId('run-row').nth(1).getByTestId('run-accepted').count()).toBe(1);
    await screenshot(page, '34-case-runs-accepted');
    await tab(page, /Timeline/);
    expect(await page.getByTestId('case-timeline').textContent()).toMatch(/Run accepted/);

    // The host view names the customer.
    await facts.getByRole('button', { name: /198\.51\.100\.80/ }).click();
    await page.getByTestId('host-chart').waitFor();
    await expect.poll(() => page.getByTestId('customer').textContent()).toContain('Example Hosting GmbH');
    await screenshot(page, '35-host-customer');
    expect(browser.problems).toEqual([]);
  });

  it('asks before a repeat joins a case: a new linked case, then reopening an answered one', async () => {
    const { page } = browser;
    const complaint = await readFile(join(SEED, 'complaint.txt'), 'utf8');
    await gotoNewCase(page, served.url);
    await page.locator('#complaint').fill(complaint);
    await page.keyboard.press('Control+Enter');
    const prompt = page.getByTestId('repeat-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/already case 1[\s\S]*analysed/);
    expect(await page.getByRole('dialog').getByRole('button').allTextContents()).toEqual(['Add to case 1', 'New linked case', 'Cancel']);
    await screenshot(page, '36-repeat-prompt-open');
    // Cancel leaves everything as it was.
    await page.keyboard.press('Escape');
    expect(await prompt.count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('New case');
    await page.keyboard.press('Control+Enter');
    await prompt.getByRole('button', { name: 'New linked case' }).click();
    await page.getByTestId('saved-case').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('saved-case').textContent()).toMatch(/Saved as case 2/);
    await page.getByTestId('saved-case').click();
    const links = page.getByTestId('repeat-links');
    await links.waitFor();
    expect(await links.textContent()).toContain('repeats case 1');
    // Answer case 2 (closed); the same complaint again offers to reopen it.
    await page.getByTestId('status-select').selectOption('closed');
    await expect.poll(() => page.getByTestId('status-select').inputValue()).toBe('closed');
    await links.getByRole('button', { name: 'repeats case 1' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^#1 /);
    expect(await page.getByTestId('repeat-links').textContent()).toContain('repeated in case 2');

    await page.getByRole('button', { name: 'New case' }).click();
    await page.locator('#complaint').fill(complaint);
    await page.keyboard.press('Control+Enter');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/already case 2[\s\S]*closed/);
    expect(await page.getByRole('dialog').getByRole('button').allTextContents()).toEqual(['New case', 'Reopen case 2', 'Cancel']);
    await screenshot(page, '37-repeat-prompt-answered');
    await prompt.getByRole('button', { name: 'Reopen case 2' }).click();
    // The run joins case 2, which is open again and opens with the new run.
    await page.getByTestId('duplicate-notice').waitFor({ timeout: 120_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^#2 /);
    expect(await page.getByTestId('status-select').inputValue()).toBe('analysed');
    await tab(page, /Analysis runs/);
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    expect(browser.problems).toEqual([]);
  });

  it('closes a case from the queue with c and puts it back with Undo; the rows name the customer', async () => {
    const { page } = browser;
    await page.keyboard.press('Alt+Digit6');
    await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
    const rows = page.getByTestId('queue-list').getByRole('option');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => rows.first().getByTestId('customer').textContent()).toContain('Example Hosting GmbH');
    await page.getByTestId('queue-list').focus();
    const selected = page.getByTestId('queue-list').getByRole('option', { selected: true });
    const id = /#(\d+)/.exec((await selected.textContent())!)![1];
    await page.keyboard.press('c');
    await expect.poll(() => rows.count()).toBe(1);
    const toast = page.getByTestId('toast').filter({ hasText: `Case ${id} closed` });
    await toast.waitFor();
    await shoot(page, '38-queue-closed-undo');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => selected.textContent()).toContain(`#${id}`);
    // u undoes from the keyboard too.
    await page.getByTestId('queue-list').focus();
    await page.keyboard.press('c');
    await expect.poll(() => rows.count()).toBe(1);
    await page.keyboard.press('u');
    await expect.poll(() => rows.count()).toBe(2);
    await screenshot(page, '39-queue-customer');
    expect(browser.problems).toEqual([]);
  });

  it('looks right in the dark theme too', async () => {
    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      const page = dark.page;
      await gotoNewCase(page, served.url);
      await page.getByRole('button', { name: 'Settings' }).click();
      const cust = page.getByTestId('customer-settings');
      await cust.scrollIntoViewIfNeeded();
      await cust.screenshot({ path: join(process.cwd(), 'test', 'e2e', 'screenshots', '30d-settings-customers-dark.png') });
      await page.getByRole('button', { name: 'New case' }).click();
      await page.locator('#complaint').fill(await readFile(join(SEED, 'complaint.txt'), 'utf8'));
      await page.getByTestId('evidence-input').setInputFiles(join(dir, 'notes.bin'));
      await page.getByTestId('evidence-unreadable').waitFor({ timeout: 60_000 });
      await screenshot(page, '31d-new-case-unreadable-dark');
      await page.keyboard.press('Control+Enter');
      await page.getByTestId('repeat-prompt').waitFor();
      await screenshot(page, '36d-repeat-prompt-dark');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Alt+Digit5');
      await page.getByTestId('history-row').filter({ hasText: /#1\b/ }).or(page.getByTestId('history-row').last()).first().click();
      await page.getByTestId('case-timeline').waitFor();
      await page.getByRole('tab', { name: /Evidence/ }).click();
      await screenshot(page, '33d-case-evidence-dark');
      await page.getByRole('tab', { name: /Analysis runs/ }).click();
      await screenshot(page, '34d-case-runs-dark');
      await page.keyboard.press('Alt+Digit6');
      await page.getByTestId('queue-list').getByRole('option').first().waitFor();
      await screenshot(page, '39d-queue-dark');
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
