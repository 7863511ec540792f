/**
 * The triage queue on `abuse-desk serve` in Chromium: upload a handful of
 * complaint mails (abuse.io samples, the three shared cases, two more
 * reports of the backscatter group), see them ranked with their reasons,
 * open the top case, analyse it with its evidence, reply, and see the queue
 * follow; answer the false-positive group with one reviewed reply; the IMAP
 * settings. Screenshots: 20–25.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CASES, ROOT, openBrowser, screenshot as shoot, startServe, type Browser, type Served } from './harness';
import { QUEUE_CLASSES } from '../../analysis/case-vocabulary';

/** Screenshots without the toasts of earlier steps (they fade after a few seconds). */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.toast'), undefined, { timeout: 15_000 });
  await shoot(page, name);
}

const ABUSEIO = join(ROOT, '..', 'shared', 'corpus', 'complaints', 'abuseio');
const SAMPLES = ['abusehub__Abusehub_Example_1.eml', 'blocklistde__Blocklistde_Example_1.eml', 'cleanmx__Cleanmx_Example_1.eml', 'cyscon__Cyscon_Example_1.eml', 'netcraft__Netcraft_Example_1.eml'];
const SEEDS = ['seed001-nat-legit', 'seed001-synflood-backscatter', 'seed003-udp770-compromise'];

let served: Served;
let browser: Browser;
let mailDir: string;
let files: string[];

/** The synflood complaint again, from another reporter about other targets: the same group (backscatter, 198.51.100.80). */
async function groupMail(n: number): Promise<string> {
  const text = await readFile(join(CASES, 'seed001-synflood-backscatter', 'complaint.txt'), 'utf8');
  return [
    `From: "NOC ${n}" <noc${n}@reporter${n}.example>`, 'To: abuse@our.example', 'Subject: portscan from 198.51.100.80',
    `Date: Thu, 18 Dec 2025 0${n}:10:00 +0000`, `Message-ID: <group-${n}@reporter${n}.example>`, '',
    text.replace(/^Subject:.*\n/, '').replace('192.0.2.66', `192.0.2.${70 + n}`),
  ].join('\n');
}

beforeAll(async () => {
  served = await startServe();
  browser = await openBrowser();
  mailDir = await mkdtemp(join(tmpdir(), 'abuse-desk-e2e-mail-'));
  files = SAMPLES.map((f) => join(ABUSEIO, f));
  for (const s of SEEDS) {
    const f = join(mailDir, `${s}.eml`);
    await writeFile(f, await readFile(join(CASES, s, 'complaint.txt')));
    files.push(f);
  }
  for (const n of [1, 2]) {
    const f = join(mailDir, `group-${n}.eml`);
    await writeFile(f, await groupMail(n));
    files.push(f);
  }
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  if (mailDir) await rm(mailDir, { recursive: true, force: true });
});

describe('the triage queue (abuse-desk serve)', () => {
  it('imports mail, ranks it, and follows the work: analyse the top case with evidence, reply, close', async () => {
    const { page } = browser;
    await page.goto(served.url);
    await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
    // Our networks first: the accused are the addresses inside them.
    await page.getByRole('complementary', { name: 'Application' }).getByRole('button', { name: /^Settings/ }).click();
    await page.locator('#our-nets').fill('198.51.100.0/24');
    await page.getByRole('button', { name: 'Save networks' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();

    // The empty queue says what to do.
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('queue-empty').waitFor();
    expect(await page.getByTestId('queue-empty').textContent()).toMatch(/Import complaint mail/);
    await screenshot(page, '20-queue-empty');

    // Upload ten messages.
    await page.getByTestId('intake-input').setInputFiles(files);
    const rows = page.getByTestId('queue-row');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(10);
    expect(await page.getByText(/Imported 10 messages: 10 new cases/).count()).toBeGreaterThan(0);
    // Ranked: the likely compromise first, the likely false positives last, each with its reason.
    const classes = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.class));
    expect(classes[0]).toBe('compromise');
    expect(classes.at(-1)).toBe('false-positive');
    const order: readonly string[] = QUEUE_CLASSES;
    expect(classes.map((c) => order.indexOf(c!))).toEqual([...classes.map((c) => order.indexOf(c!))].sort((a, b) => a - b));
    expect(await rows.first().textContent()).toMatch(/198\.51\.100\.90[\s\S]*likely compromise/);
    expect(await page.getByTestId('class-false-positive').textContent()).toMatch(/^\s*4/);
    // Report types have their own class and no first-look leaning: the hosted malware URLs (Cyscon, Netcraft) and clean-mx's harvesting spam.
    expect(await page.getByTestId('class-malware-hosting').textContent()).toMatch(/^\s*2/);
    expect(await page.getByTestId('class-spam').textContent()).toMatch(/^\s*1/);
    const malware = rows.filter({ hasText: 'malware hosting report' });
    expect(await malware.count()).toBe(2);
    expect(await malware.first().getByTestId('queue-badge').textContent()).toBe('not analysed');
    expect(await rows.filter({ hasText: /worm-like/ }).filter({ hasText: /malware\.cust|guestbook/ }).count()).toBe(0);
    // The Repeat card counts the rows that say their host was reported before.
    const saying = (await page.getByTestId('queue-reason').allTextContents()).filter((t) => /reports? about /.test(t)).length;
    expect(saying).toBeGreaterThan(0);
    expect(await page.getByTestId('class-repeat').textContent()).toMatch(new RegExp(`^\\s*${saying}\\b`));
    await page.mouse.move(0, 0);
    await screenshot(page, '21-queue');

    // The same upload again: nothing new.
    await page.getByTestId('intake-input').setInputFiles(files);
    await page.getByText(/10 already here/).first().waitFor({ timeout: 60_000 });
    expect(await rows.count()).toBe(10);

    // End and Home jump to the last and the first row; Enter opens the top case.
    await page.getByTestId('queue-list').focus();
    await page.keyboard.press('End');
    expect(await rows.last().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    expect(await rows.first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/198\.51\.100\.90|udp|770|#\d+/i);
    const topId = Number(/#(\d+)/.exec((await page.getByRole('heading', { level: 1 }).textContent())!)![1]);

    // Back to the queue; a: its complaint in New case, the evidence picker opens.
    await page.keyboard.press('Alt+Digit6');
    await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
    await page.getByTestId('queue-list').focus();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('a')]);
    await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
    expect(await page.locator('#complaint').inputValue()).toContain('198.51.100.90');
    await chooser.setFiles(join(CASES, 'seed003-udp770-compromise', 'lan-span.pcap'));
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Enter');
    // The analysis is saved to the same case, which opens.
    await page.getByTestId('duplicate-notice').waitFor({ timeout: 120_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(`#${topId}`);

    // r from the queue: the reply (Drafts); mark it sent.
    await page.keyboard.press('Alt+Digit6');
    await page.getByTestId('queue-list').focus();
    await expect.poll(() => rows.first().textContent()).toMatch(/Compromise · \d+%/);
    await page.keyboard.press('r');
    await page.getByLabel('Reply body').waitFor();
    expect(await page.getByLabel('Reply body').inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Mark as sent' }).first().click();
    await page.getByText(/marked as sent/).first().waitFor();

    // The queue follows: analysed and replied; c closes it and it leaves the queue.
    await page.keyboard.press('Alt+Digit6');
    await expect.poll(() => rows.first().textContent()).toMatch(/Compromise · \d+%[\s\S]*Replied/);
    await page.getByTestId('queue-list').focus();
    await page.keyboard.press('c');
    await expect.poll(() => rows.count()).toBe(9);
    expect(await rows.first().textContent()).not.toContain(`#${topId} `);
    expect(browser.problems).toEqual([]);
  });

  it('answers a group of identical false positives with one reviewed reply', async () => {
    const { page } = browser;
    await page.keyboard.press('Alt+Digit6');
    const rows = page.getByTestId('queue-row');
    await rows.first().waitFor();
    // Select the backscatter group about 198.51.100.80: x on one row, g for its group.
    await page.getByTestId('queue-list').focus();
    const idx = await rows.evaluateAll((els) => els.findIndex((e) => /likely backscatter/.test(e.textContent ?? '')));
    for (let i = 0; i < idx; i++) await page.keyboard.press('j');
    await page.keyboard.press('g');
    const bar = page.getByTestId('bulk-bar');
    await bar.waitFor();
    expect(await bar.textContent()).toContain('3 selected');
    await page.getByTestId('group-reply-open').click();
    const panel = page.getByTestId('group-reply');
    await panel.waitFor();
    await panel.getByRole('button', { name: /Preview drafts/ }).click();
    const preview = page.getByTestId('group-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toMatch(/198\.51\.100\.80/);
    expect(await preview.textContent()).not.toMatch(/\{(reporter|accused|quoted_lines|times|subject)\}/);
    await panel.getByRole('tab').nth(1).click();
    await expect.poll(() => preview.textContent()).toMatch(/Dear NOC \d/);
    await screenshot(page, '23-queue-group-reply');
    await page.getByTestId('group-save').click();
    await page.getByText(/Saved a reviewed draft for 3 cases/).first().waitFor();
    expect(await page.getByTestId('group-reply').count()).toBe(0);
    // Each case has its own personalised draft.
    await rows.filter({ hasText: 'likely backscatter' }).first().click();
    await page.getByRole('tab', { name: /Drafts/ }).click();
    expect(await page.getByLabel('Reply body').inputValue()).toMatch(/Dear .*,\n\nthank you for your report about [^\n]*198\.51\.100\.80/);
    expect(browser.problems).toEqual([]);
  });

  it('keeps the IMAP account in Settings (the password never comes back) and says why a test fails', async () => {
    const { page } = browser;
    await page.getByRole('complementary', { name: 'Application' }).getByRole('button', { name: /^Settings/ }).click();
    const form = page.getByTestId('imap-settings');
    await form.waitFor();
    await form.getByLabel('Server').fill('127.0.0.1');
    await form.getByLabel('TLS (imaps)').uncheck();
    await form.getByLabel('Port').fill('9');
    await form.getByLabel('User').fill('abuse@example.net');
    await form.getByLabel('Password').fill('not-this-one');
    await form.getByLabel(/Fetch every/).fill('15');
    await form.getByRole('button', { name: 'Save account' }).click();
    // The field empties when the save has answered; the placeholder may already say "stored" from an earlier save.
    await expect.poll(() => form.getByLabel('Password').inputValue(), { timeout: 30_000 }).toBe('');
    expect(await form.getByLabel('Password').getAttribute('placeholder')).toMatch(/stored/);
    await form.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => form.getByTestId('imap-status').textContent(), { timeout: 30_000 }).toMatch(/IMAP: /);
    const account = await readFile(join(served.dataDir, 'imap-account.json'), 'utf8');
    expect(account).not.toContain('not-this-one');
    expect((await readFile(join(served.dataDir, 'imap-password.enc'))).includes(Buffer.from('not-this-one'))).toBe(false);
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, '24-imap-settings');
  });

  it('looks right in the dark theme too', async () => {
    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      const page = dark.page;
      await page.goto(served.url);
      // The window opens on the queue when there is work.
      await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
      await page.getByTestId('queue-row').first().waitFor();
      await page.getByTestId('queue-list').focus();
      await page.keyboard.press('x');
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('x');
      await page.getByTestId('bulk-bar').waitFor();
      await screenshot(page, '22-queue-dark');
      await page.getByRole('complementary', { name: 'Application' }).getByRole('button', { name: /^Settings/ }).click();
      await page.getByTestId('imap-settings').waitFor();
      await screenshot(page, '25-imap-settings-dark');
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
