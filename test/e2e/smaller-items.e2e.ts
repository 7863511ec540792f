/**
 * The smaller items of an operator's day, in Chromium against serve: New
 * case says why Analyse is disabled; a capture of 0 packets is flagged before
 * the run and files that give nothing are named after it; an inconclusive
 * verdict's number says what it is in; a spam report imported from mail
 * counts in the import toast, its `r` in the queue says there is no analysis
 * yet, and once analysed its reply is the spam reply (no pcaps, no TCP
 * flags); History finds it by its /24; the worm example's complainant is not
 * our broadcast address and its findings' facts read as labelled values; the
 * timeline's ticks do not overprint with evidence a year from the complaint.
 * Light and dark screenshots 70-79.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CASES, ROOT, gotoNewCase, openBrowser, screenshot, startServe, type Browser, type Served } from './harness';

const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const SYN = join(CASES, 'seed001-synflood-backscatter');
const WORM = join(CASES, 'seed003-udp770-compromise');
const SPAM = [join(CORPUS, 'complaints', 'abuseio', 'spamexperts__3.eml'), join(CORPUS, 'complaints', 'abuseio', 'spamexperts__7.eml')];

let served: Served;
let browser: Browser;

beforeAll(async () => {
  served = await startServe({
    // Our networks: the worm example's and the AbuseIO spam reports' (10.0.2.0/24).
    prepare: async (dir) => {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'settings.json'), JSON.stringify({ ourNets: ['198.51.100.0/24', '10.0.2.0/24'], theme: 'system' }));
    },
  });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** The x extents of the timeline's tick labels, left to right, as drawn. */
async function tickBoxes(page: Page): Promise<Array<{ text: string; x0: number; x1: number }>> {
  return page.getByTestId('timeline-chart').first().evaluate((svg) => [...svg.querySelectorAll('text.tick')].map((t) => {
    const b = (t as SVGTextElement).getBoundingClientRect();
    return { text: t.textContent ?? '', x0: b.left, x1: b.right };
  }).sort((a, b) => a.x0 - b.x0));
}

/** Put the queue's keyboard selection on the first row whose text matches (a click would open the case). */
async function selectRow(page: Page, re: RegExp): Promise<void> {
  const texts = await page.getByTestId('queue-row').allTextContents();
  const i = texts.findIndex((t) => re.test(t));
  expect(i, texts.join('\n')).toBeGreaterThanOrEqual(0);
  await page.keyboard.press('Home');
  for (let n = 0; n < i; n++) await page.keyboard.press('j');
  await expect.poll(() => page.getByTestId('queue-row').nth(i).getAttribute('aria-selected')).toBe('true');
}

async function openCase(page: Page, id: number): Promise<void> {
  await page.keyboard.press('Alt+Digit5');
  await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
  await page.locator('#history-search').fill('');
  await page.getByTestId('history-row').first().waitFor();
  await page.locator(`#case-row-${id}`).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(new RegExp(`^#${id} `));
}

describe('the smaller items (abuse-desk serve)', () => {
  it('an operator\'s smaller stumbles, each answered', async () => {
    const { page } = browser;
    await gotoNewCase(page, served.url);

    // 10: an empty complaint: Analyse is disabled and says why.
    const analyse = page.getByRole('button', { name: /^Analyse/ });
    expect(await analyse.isDisabled()).toBe(true);
    expect(await page.getByTestId('analyse-blocked').textContent()).toBe('Paste or open a complaint first: Analyse needs its text.');
    await screenshot(page, '70-new-case-analyse-blocked');

    // 8 and 7: two captures of 0 packets are flagged before the run, and named after it.
    await page.locator('#complaint').fill(await readFile(join(SYN, 'complaint.txt'), 'utf8'));
    expect(await page.getByTestId('analyse-blocked').count()).toBe(0);
    await page.getByTestId('evidence-input').setInputFiles([join(CORPUS, 'pcap', 'tcpdump__empty.pcap'), join(CORPUS, 'pcapng', 'tcpdump__empty.pcapng')]);
    await expect.poll(() => page.getByTestId('evidence-empty').count(), { timeout: 60_000 }).toBe(2);
    await screenshot(page, '71-new-case-empty-captures');
    await page.keyboard.press('Control+Enter');
    const banner = page.getByTestId('verdict-banner');
    await banner.waitFor({ timeout: 120_000 });
    expect(await banner.getAttribute('data-verdict')).toBe('inconclusive');
    // 6: the number of an inconclusive verdict says what it is in.
    expect(await page.getByTestId('confidence-caption').textContent()).toBe('sure nothing settles it');
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('none of the 2 attached files gave a packet or log line to weigh: tcpdump__empty.pcap (the capture holds no packets), tcpdump__empty.pcapng (the capture holds no packets)');
    expect(body).not.toMatch(/no captures or logs from our side were attached/);
    await screenshot(page, '72-result-inconclusive-empty-captures');

    // 11: two spam reports imported from mail: the toast counts them.
    await page.keyboard.press('Alt+Digit6');
    await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
    await page.getByTestId('intake-input').setInputFiles(SPAM);
    await expect.poll(() => page.getByText(/Imported 2 messages: 2 new cases/).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await screenshot(page, '73-queue-imported');

    // 1: r on a spam case never analysed: no empty editor, the analysis is offered.
    await selectRow(page, /10\.0\.2\.35[\s\S]*not analysed/);
    await page.keyboard.press('r');
    const notice = page.getByTestId('no-analysis');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/has not been analysed yet/);
    expect(await page.locator('#case-draft-body').count()).toBe(0);
    await screenshot(page, '74-drafts-not-analysed');
    const caseId = Number(/^#(\d+)/.exec((await page.getByRole('heading', { level: 1 }).textContent()) ?? '')?.[1]);

    // 2: analysed, its reply is the spam reply: no pcaps, no TCP flags.
    await notice.getByRole('button', { name: /Analyse now/ }).click();
    const editor = page.locator('#case-draft-body');
    await editor.waitFor({ timeout: 120_000 });
    const reply = await editor.inputValue();
    expect(reply).toMatch(/Thank you for your report about spam sent from 10\.0\.2\.35/);
    expect(reply).toMatch(/asked them to stop the mail/);
    expect(reply).not.toMatch(/pcap|TCP flags|packet headers/i);
    await screenshot(page, '75-drafts-spam-reply');

    // 12: History finds the spam cases by their /24, the address marked.
    await page.keyboard.press('Alt+Digit5');
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    await page.locator('#history-search').fill('10.0.2.0/24');
    await expect.poll(async () => (await page.getByTestId('history-row').allTextContents()).length, { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('history-row').first().locator('mark').first().textContent()).toMatch(/^10\.0\.2\./);
    expect((await page.getByTestId('history-row').allTextContents()).join(' ')).not.toMatch(/portscan from 198\.51\.100\.80/);
    await screenshot(page, '76-history-cidr-search');
    expect(caseId).toBeGreaterThan(0);

    // 5 and 9: the worm example, its complaint naming our broadcast address: no complainant; facts labelled.
    await gotoNewCase(page, served.url);
    const worm = `${await readFile(join(WORM, 'complaint.txt'), 'utf8')}Destination: the broadcast address 198.51.100.255.\n`;
    await page.locator('#complaint').fill(worm);
    await page.getByTestId('evidence-input').setInputFiles(join(WORM, 'lan-span.pcap'));
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Enter');
    await banner.waitFor({ timeout: 120_000 });
    expect(await banner.getAttribute('data-verdict')).toBe('compromise');
    const complainant = banner.locator('dt', { hasText: 'Complainant' }).locator('xpath=following-sibling::dd');
    expect((await complainant.textContent())?.trim()).toBe('—');
    const finding = page.getByTestId('finding').first();
    if (!(await finding.locator('.facts').isVisible())) await finding.getByRole('button').first().click();
    const labels = await finding.locator('.facts dt').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(l).not.toMatch(/[a-z][A-Z]/);
    for (const v of await finding.locator('.facts dd').allTextContents()) expect(v.trim()).not.toBe('');
    await finding.scrollIntoViewIfNeeded();
    await screenshot(page, '77-result-worm-facts');

    // 3: the backscatter example with its complaint dated a year before the capture: ticks apart.
    await gotoNewCase(page, served.url);
    await page.locator('#complaint').fill((await readFile(join(SYN, 'complaint.txt'), 'utf8')).replace('2025-12-18', '2024-12-18'));
    await page.getByTestId('evidence-input').setInputFiles(join(SYN, 'www-border.pcap'));
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Enter');
    await banner.waitFor({ timeout: 120_000 });
    const chart = page.getByTestId('timeline-chart').first();
    await chart.scrollIntoViewIfNeeded();
    const ticks = await tickBoxes(page);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThan(12);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].x0, `${ticks[i - 1].text} | ${ticks[i].text}`).toBeGreaterThan(ticks[i - 1].x1);
    // The evidence band's label, at the chart's right edge, stays inside it.
    const inside = await chart.evaluate((svg) => {
      const label = svg.querySelector('text.band-label')!.getBoundingClientRect();
      const box = svg.getBoundingClientRect();
      return label.right <= box.right && label.left >= box.left;
    });
    expect(inside).toBe(true);
    await screenshot(page, '78-timeline-evidence-a-year-off');
    expect(browser.problems).toEqual([]);
  });

  it('the same screens in the dark theme', async () => {
    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      const page = dark.page;
      await gotoNewCase(page, served.url);
      await page.getByTestId('analyse-blocked').waitFor();
      await page.getByTestId('evidence-input').setInputFiles([join(CORPUS, 'pcap', 'tcpdump__empty.pcap')]);
      await expect.poll(() => page.getByTestId('evidence-empty').count(), { timeout: 60_000 }).toBe(1);
      await screenshot(page, '70d-new-case-blocked-empty-capture-dark');

      // The first case (the inconclusive one): its stored run.
      await openCase(page, 1);
      await page.getByRole('tab', { name: /Analysis runs/ }).click();
      await page.getByTestId('open-run').first().click();
      await page.getByTestId('run-result').getByTestId('verdict-banner').waitFor();
      expect(await page.getByTestId('confidence-caption').textContent()).toBe('sure nothing settles it');
      await screenshot(page, '72d-run-inconclusive-dark');

      // The second spam case, never analysed: r's notice.
      await page.keyboard.press('Alt+Digit6');
      await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
      await page.getByTestId('queue-row').first().waitFor();
      await selectRow(page, /10\.0\.2\.35[\s\S]*not analysed/);
      await page.keyboard.press('r');
      await page.getByTestId('no-analysis').waitFor();
      await screenshot(page, '74d-drafts-not-analysed-dark');

      await page.keyboard.press('Alt+Digit5');
      await page.locator('#history-search').fill('10.0.2.0/24');
      await expect.poll(async () => page.getByTestId('history-row').count(), { timeout: 10_000 }).toBe(2);
      await screenshot(page, '76d-history-cidr-search-dark');

      // The worm case's run (facts) and the year-off case's run (timeline).
      for (const [id, shot] of [[4, '77d-run-worm-facts-dark'], [5, '78d-run-timeline-year-off-dark']] as const) {
        await openCase(page, id);
        await page.getByRole('tab', { name: /Analysis runs/ }).click();
        await page.getByTestId('open-run').first().click();
        const result = page.getByTestId('run-result');
        await result.getByTestId('verdict-banner').waitFor();
        if (id === 4) {
          const finding = result.getByTestId('finding').first();
          if (!(await finding.locator('.facts').isVisible())) await finding.getByRole('button').first().click();
          await finding.scrollIntoViewIfNeeded();
        } else {
          await result.getByTestId('timeline-chart').scrollIntoViewIfNeeded();
          const ticks = await tickBoxes(page);
          for (let i = 1; i < ticks.length; i++) expect(ticks[i].x0).toBeGreaterThan(ticks[i - 1].x1);
        }
        await screenshot(page, shot);
      }
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
