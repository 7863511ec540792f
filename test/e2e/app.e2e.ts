import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBigPcap } from './big-pcap';
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

async function freshPage() {
  const { page } = browser;
  // Later tests find the earlier cases in the store: the window then opens on the Queue.
  await gotoNewCase(page, served.url);
  return page;
}

describe('Abuse Desk in the browser (abuse-desk serve)', () => {
  it('analyses the SYN-flood backscatter case end to end', async () => {
    const page = await freshPage();
    // The printed URL's token went into the HttpOnly cookie: out of the address bar, the history and page scripts.
    expect(served.url).toMatch(/token=/);
    expect(page.url()).not.toMatch(/token=/);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await screenshot(page, '00-new-case-empty');
    // The window opens with focus in the paste area; "?" outside a text field lists the shortcuts.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('complaint');
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await screenshot(page, '00b-shortcuts');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    const complaint = await readFile(join(SEED, 'complaint.txt'), 'utf8');

    await page.keyboard.press('Alt+KeyP');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('complaint');
    await page.locator('#complaint').fill(complaint);
    await page.getByTestId('evidence-input').setInputFiles(join(SEED, 'www-border.pcap'));
    const row = page.getByTestId('evidence-row');
    await row.getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await row.textContent()).toMatch(/www-border\.pcap[\s\S]*489 KiB[\s\S]*6,864 packets[\s\S]*2025-12-18 00:40:00/);
    await screenshot(page, '01-new-case');

    await page.keyboard.press('Control+Enter');
    const banner = page.getByTestId('verdict-banner');
    await banner.waitFor({ timeout: 120_000 });
    expect(await banner.getAttribute('data-verdict')).toBe('backscatter');
    expect(await banner.textContent()).toContain('Backscatter');
    expect(await page.getByTestId('finding').count()).toBeGreaterThan(1);
    expect(await page.getByTestId('evidence-ref').count()).toBeGreaterThan(2);
    expect(await page.getByTestId('evidence-ref').first().textContent()).toMatch(/www-border\.pcap #\d+/);
    expect(await page.getByTestId('timeline-chart').locator('circle').count()).toBeGreaterThan(5);
    await screenshot(page, '03-result');
    // Scroll to the timeline for a second look.
    await page.getByTestId('timeline-chart').scrollIntoViewIfNeeded();
    await screenshot(page, '03b-result-timeline');

    await page.getByRole('button', { name: /Open reply draft/ }).click();
    const subject = page.getByLabel('Subject');
    expect(await subject.inputValue()).toBe('Re: portscan from 198.51.100.80');
    const body = page.getByLabel('Reply body');
    expect((await body.inputValue()).toLowerCase()).toContain('syn-ack');
    expect(await page.getByLabel('Internal notes').inputValue()).toContain('198.51.100.80');

    await subject.fill('Re: portscan from 198.51.100.80 [case 4711]');
    await body.press('Control+End');
    await body.pressSequentially('\n-- checked by the night shift');
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('-- checked by the night shift');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('backscatter');
    await screenshot(page, '04-draft');

    // Save .eml downloads the edited draft.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Save \.eml/ }).click(),
    ]);
    const eml = await simpleParser(await readFile((await download.path())!));
    expect(eml.subject).toMatch(/^Re: portscan from 198\.51\.100\.80 \[case 4711\] \[AbuseDesk #\d+\]$/);
    expect(eml.text).toContain('-- checked by the night shift');

    expect(browser.problems).toEqual([]);
  });

  it('shows the result in the dark theme too', async () => {
    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      const page = dark.page;
      await gotoNewCase(page, served.url);
      await page.locator('#complaint').fill(await readFile(join(SEED, 'complaint.txt'), 'utf8'));
      await page.getByTestId('evidence-input').setInputFiles(join(SEED, 'www-border.pcap'));
      await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
      await screenshot(page, '05-new-case-dark');
      await page.getByRole('button', { name: /^Analyse/ }).click();
      // The first test analysed this complaint already: asked before the run, the operator chooses a new case
      // linked to it, and its result shows.
      await page.getByTestId('repeat-prompt').getByRole('button', { name: 'New linked case' }).click();
      await page.getByTestId('verdict-banner').waitFor({ timeout: 120_000 });
      await screenshot(page, '06-result-dark');
      await page.getByRole('button', { name: /Open reply draft/ }).click();
      await screenshot(page, '07-draft-dark');
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });

  it.each([
    ['seed001-nat-legit', 'mirror.pcap', 'legitimate'],
    ['seed003-udp770-compromise', 'lan-span.pcap', 'compromise'],
  ])('shows the %s verdict', async (name, pcap, verdict) => {
    const page = await freshPage();
    await page.locator('#complaint').fill(await readFile(join(CASES, name, 'complaint.txt'), 'utf8'));
    await page.getByTestId('evidence-input').setInputFiles(join(CASES, name, pcap));
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /^Analyse/ }).click();
    const banner = page.getByTestId('verdict-banner');
    await banner.waitFor({ timeout: 120_000 });
    expect(await banner.getAttribute('data-verdict')).toBe(verdict);
    await screenshot(page, `09-result-${verdict}`);
  });

  it('shows a clock offset on the banner and the timeline', async () => {
    const page = await freshPage();
    const complaint = (await readFile(join(SEED, 'complaint.txt'), 'utf8')).replace('00:40 UTC', '01:40 UTC');
    await page.locator('#complaint').fill(complaint);
    await page.getByTestId('evidence-input').setInputFiles(join(SEED, 'www-border.pcap'));
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /^Analyse/ }).click();
    const banner = page.getByTestId('verdict-banner');
    await banner.waitFor({ timeout: 120_000 });
    expect(await banner.textContent()).toContain('+1 h');
    expect(await page.getByTestId('timeline-chart').locator('desc').textContent()).toMatch(/1 h offset/);
    await screenshot(page, '10-result-offset');
  });

  it('cancels a long analysis of a big capture', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-e2e-big-'));
    try {
      const big = join(dir, 'border-flood.pcap');
      await writeBigPcap(big, Number(process.env.E2E_BIG_PCAP_BYTES ?? 120_000_000));
      const page = await freshPage();
      await page.locator('#complaint').fill(await readFile(join(SEED, 'complaint.txt'), 'utf8'));
      await page.getByTestId('evidence-input').setInputFiles(big);
      await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 120_000 });
      await page.getByRole('button', { name: /^Analyse/ }).click();
      await page.getByTestId('repeat-prompt').getByRole('button', { name: 'New linked case' }).click();
      await page.getByRole('heading', { level: 1, name: 'Analysing…' }).waitFor();
      const bar = page.getByTestId('progress-row').getByRole('progressbar');
      await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThan(0);
      expect(await page.getByTestId('progress-row').textContent()).toMatch(/of 1\d\d MiB/);
      await screenshot(page, '02-analysis');

      await page.getByRole('button', { name: /Cancel analysis/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Analysis cancelled' }).waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('progress-row').textContent()).toContain('cancelled');
      await screenshot(page, '02b-analysis-cancelled');
      // No result arrives later for the cancelled job.
      await page.waitForTimeout(1500);
      expect(await page.getByTestId('verdict-banner').count()).toBe(0);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Analysis cancelled');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('renders a hostile complaint inert', async () => {
    const page = await freshPage();
    const hostile = [
      'Subject: <img src=x onerror="alert(document.domain)"> scan from 198.51.100.80',
      'Content-Type: text/html',
      '',
      '<html><body><script>alert(1)</script>',
      '<img src=x onerror="alert(2)"><iframe src="javascript:alert(3)"></iframe>',
      '<a href="javascript:alert(4)">click</a> <svg onload="alert(5)"></svg>',
      'Your host 198.51.100.80 scanned 192.0.2.66 on 2025-12-18 00:40 UTC.</body></html>',
    ].join('\n');
    await page.locator('#complaint').fill(hostile);
    await page.getByTestId('evidence-input').setInputFiles(join(SEED, 'www-border.pcap'));
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('verdict-banner').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);

    expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('main script, main svg[onload]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.getByRole('button', { name: /Open reply draft/ }).click();
    expect(await page.getByLabel('Reply body').inputValue()).not.toBe('');
    await screenshot(page, '08-hostile-complaint');
    // The case is saved: New case starts empty again (nothing of this complaint leaks into the next).
    await page.getByRole('button', { name: 'New case' }).click();
    expect(await page.locator('#complaint').inputValue()).toBe('');
    expect(browser.dialogs).toEqual([]);
    // Nothing in any test of this browser broke the CSP or logged an error.
    expect(browser.problems).toEqual([]);
  });
});
