/**
 * Reply templates in the browser against `serve`: the seed001 SYN-flood
 * case analysed and stored; in Settings the network abuse · backscatter
 * template edited (an unknown placeholder is named and cannot be saved),
 * previewed against the stored case with its number, our customer from the
 * imported list and the desk's signature, and saved; then the case's draft
 * follows it, after a re-analysis and for a new complaint analysed in the
 * app. Light and dark screenshots at 1280x800.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, gotoNewCase, openBrowser, screenshot, startServe, type Browser, type Served } from './harness';

const SEED = join(CASES, 'seed001-synflood-backscatter');
const SIGNATURE = 'Jo Operator\nExample ISP abuse team';
const TEMPLATE = [
  'Dear {reporter},',
  'the packets you saw from {accused} were backscatter (our case {case}). Our customer {customer} did not attack you.',
  'What we found:\n{findings}',
  'Kind regards,\n{signature}',
  'Evidence:\n{evidence}',
].join('\n\n');

let served: Served;
let browser: Browser;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'abuse-desk-e2e-templates-'));
  served = await startServe();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await rm(tmp, { recursive: true, force: true });
});

async function analyse(page: Page, complaint: string): Promise<void> {
  await gotoNewCase(page, served.url);
  await page.locator('#complaint').fill(complaint);
  await page.getByTestId('evidence-input').setInputFiles(join(SEED, 'www-border.pcap'));
  await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('verdict-banner').waitFor({ timeout: 120_000 });
  await page.getByTestId('saved-case').waitFor({ timeout: 120_000 });
}

/** The preview at the top of the window (the letter's start, with its case number and customer), painted. */
async function showPreview(page: Page): Promise<void> {
  await page.getByLabel('Preview with case').evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Settings/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
}

describe('reply templates', () => {
  it('edits the backscatter template in Settings, previews it against the seed001 case, saves it, and the case\'s draft uses it', async () => {
    const { page } = browser;
    const complaint = await readFile(join(SEED, 'complaint.txt'), 'utf8');
    await analyse(page, complaint);
    expect(await page.getByTestId('saved-case').textContent()).toMatch(/Saved as case 1/);

    // The desk's signature and our customer list, which the template speaks of.
    await openSettings(page);
    const reply = page.getByTestId('reply-settings');
    await reply.getByLabel('Signature').fill(SIGNATURE);
    await reply.getByRole('button', { name: 'Save reply settings' }).click();
    await reply.getByTestId('reply-settings-status').getByText('Saved').waitFor();
    const csv = join(tmp, 'customers.csv');
    await writeFile(csv, 'prefix,customer,contact\n198.51.100.0/24,Example Hosting Ltd,noc@hosting.example\n198.51.100.80/32,Web Shop GmbH,it@shop.example\n');
    await page.getByTestId('customer-file').setInputFiles(csv);
    await page.getByTestId('customer-settings').getByText(/Imported 2 prefixes/).waitFor();

    const card = page.getByTestId('template-settings');
    await card.scrollIntoViewIfNeeded();
    expect(await card.getByLabel('Report type').inputValue()).toBe('network-abuse');
    expect(await card.getByLabel('Verdict').inputValue()).toBe('backscatter');
    expect(await card.getByTestId('template-state').textContent()).toMatch(/Built-in text/);
    // The built-in text, previewed against case 1 as it is stored.
    const preview = card.getByTestId('template-preview-body');
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toMatch(/^Hello,\n\nthank you for your report about a port scan from 198\.51\.100\.80\./);
    expect(await card.getByLabel('Preview with case').locator('option:checked').textContent()).toMatch(/^#1 · portscan from 198\.51\.100\.80/);

    // A misspelt placeholder is named, and the template cannot be saved with it.
    const text = card.getByLabel('Text');
    await text.fill(TEMPLATE.replace('{customer}', '{custmer}'));
    await card.getByTestId('template-problems').getByText('Unknown placeholder: {custmer}').waitFor();
    expect(await card.getByRole('button', { name: 'Save template' }).isDisabled()).toBe(true);

    await text.fill(TEMPLATE);
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toMatch(/our case 1\)\. Our customer Web Shop GmbH did not attack you\./);
    const shown = (await preview.textContent())!;
    expect(shown).toMatch(/^Hello,\n\nthe packets you saw from 198\.51\.100\.80 were backscatter/);
    expect(shown).toContain(`Kind regards,\n${SIGNATURE}\n\nEvidence:\nThe records (time in UTC | packet or line | where):`);
    expect(shown).toMatch(/www-border\.pcap packet \d+\n/);
    expect(shown).not.toMatch(/[{}]/);
    await screenshot(page, '60-settings-templates');
    await showPreview(page);
    await screenshot(page, '60b-settings-templates-preview');

    await card.getByRole('button', { name: 'Save template' }).click();
    await card.getByTestId('template-status').getByText(/Saved: drafts for Network abuse · backscatter now use this text/).waitFor();
    expect(await card.getByTestId('template-state').textContent()).toMatch(/Your text\s+version 1/);

    // The stored case re-analysed: its new draft version is the template, filled for it.
    await page.keyboard.press('Alt+Digit5');
    await page.getByTestId('history-row').first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/#1 /);
    await page.getByRole('button', { name: 'Re-analyse' }).click();
    await page.getByRole('tab', { name: /Drafts/ }).click();
    const caseBody = page.getByLabel('Reply body');
    await expect.poll(() => caseBody.inputValue(), { timeout: 60_000 }).toMatch(/our case 1\)\. Our customer Web Shop GmbH did not attack you\./);
    expect(await page.getByRole('list', { name: 'Draft versions' }).getByText('Version 2').count()).toBe(1);
    await screenshot(page, '61-case-draft-from-template');

    // A new complaint analysed in the app: its draft is the template, with its own case number.
    await analyse(page, complaint.replace(/^Subject: .*/m, 'Subject: SYN scan from 198.51.100.80').replace('Our IDS', 'The IDS of our branch office'));
    expect(await page.getByTestId('saved-case').textContent()).toMatch(/Saved as case 2/);
    await page.getByRole('button', { name: /Open reply draft/ }).click();
    const draft = page.locator('#draft-body');
    await expect.poll(() => draft.inputValue()).toMatch(/^Hello,\n\nthe packets you saw from 198\.51\.100\.80 were backscatter \(our case 2\)\. Our customer Web Shop GmbH/);
    expect(await page.locator('#draft-subject').inputValue()).toBe('Re: SYN scan from 198.51.100.80');
    expect(browser.problems).toEqual([]);
    expect(browser.dialogs).toEqual([]);
  });

  it('looks right in the dark theme, and reset brings the built-in text back', async () => {
    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      const page = dark.page;
      await page.goto(served.url);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await openSettings(page);
      const card = page.getByTestId('template-settings');
      await card.scrollIntoViewIfNeeded();
      await expect.poll(() => card.getByTestId('template-preview-body').textContent(), { timeout: 10_000 }).toMatch(/our case \d\)/);
      await screenshot(page, '60d-settings-templates-dark');
      await showPreview(page);
      await screenshot(page, '60bd-settings-templates-preview-dark');
      await card.getByRole('button', { name: 'Reset to built-in' }).click();
      await card.getByTestId('template-state').getByText('Built-in text').waitFor();
      await expect.poll(() => card.getByTestId('template-preview-body').textContent(), { timeout: 10_000 }).toMatch(/^Hello,\n\nthank you for your report about/);
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
