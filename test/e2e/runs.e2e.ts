/**
 * A stored run reopens exactly as the live result showed it, after a reload,
 * from History → case → Analysis runs; and every quoted packet opens the
 * packet view: its layers and bytes (checked against tshark), its
 * conversation, the TCP stream, and its tshark filter copied.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CASES, gotoNewCase, openBrowser, screenshot, startServe, type Browser, type Served } from './harness';

const SEED = join(CASES, 'seed001-synflood-backscatter');
const PCAP = join(SEED, 'www-border.pcap');
const run = promisify(execFile);

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

/** What the operator sees of a result: the verdict banner's text and how many findings and quoted records. */
async function shown(page: Page): Promise<{ banner: string; findings: number; refs: number }> {
  return {
    banner: ((await page.getByTestId('verdict-banner').textContent()) ?? '').replace(/\s+/g, ' ').trim(),
    findings: await page.getByTestId('finding').count(),
    refs: await page.getByTestId('evidence-ref').count(),
  };
}

/** tshark's hex dump of one packet, as one lower-case string. */
async function tsharkHex(n: number): Promise<string> {
  const { stdout } = await run('tshark', ['-r', PCAP, '-Y', `frame.number == ${n}`, '-x']);
  return stdout.split('\n').map((l) => /^[0-9a-f]{4,}\s{2}((?:[0-9a-f]{2} ?)+)/.exec(l)?.[1] ?? '').join('').replace(/ /g, '');
}

/** Open the first quoted packet of the open finding and check the packet view against tshark. */
async function openFirstPacket(page: Page, shot: string): Promise<number> {
  const link = page.getByTestId('open-packet').first();
  const label = (await link.getAttribute('aria-label')) ?? '';
  const n = Number(/Open packet (\d+) of www-border\.pcap/.exec(label)?.[1]);
  expect(n).toBeGreaterThan(0);
  await link.click();
  const dialog = page.getByTestId('packet-dialog');
  await dialog.getByTestId('packet-layers').waitFor({ timeout: 30_000 });
  expect(await dialog.getByRole('heading', { level: 2 }).textContent()).toMatch(new RegExp(`Packet ${n} of www-border\\.pcap`));
  const layers = await dialog.getByTestId('packet-layers').locator('summary .name').allTextContents();
  expect(layers).toEqual(['Ethernet II', 'IPv4', 'TCP']);
  const hex = (await dialog.getByTestId('hex-dump').locator('.bytes').allTextContents()).join('').replace(/\s/g, '');
  expect(hex).toBe(await tsharkHex(n));
  const current = dialog.getByTestId('conversation-row').and(page.locator('[aria-current="true"]'));
  expect(await current.locator('td').first().textContent()).toContain(String(n));
  await dialog.getByTestId('copy-packet-filter').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`frame.number == ${n}`);
  // Only the desktop app starts Wireshark.
  expect(await dialog.getByTestId('open-wireshark').count()).toBe(0);
  await screenshot(page, shot);
  return n;
}

describe('stored runs and the packet view (abuse-desk serve)', () => {
  it('reopens a stored run as the live result showed it, and opens its quoted packets', async () => {
    const { page } = browser;
    await gotoNewCase(page, served.url);
    await page.locator('#complaint').fill(await readFile(join(SEED, 'complaint.txt'), 'utf8'));
    await page.getByTestId('evidence-input').setInputFiles(PCAP);
    await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('verdict-banner').waitFor({ timeout: 120_000 });
    await page.getByTestId('saved-case').waitFor();
    const live = await shown(page);
    expect(live.banner).toMatch(/Backscatter/i);
    expect(live.findings).toBeGreaterThan(0);
    expect(live.refs).toBeGreaterThan(0);

    // A quoted packet of the live result opens, read from the saved case's evidence.
    const n = await openFirstPacket(page, '50-packet-view');
    // Another packet of the conversation opens in place.
    const other = page.getByTestId('conversation-row').locator('button').first();
    if (await other.count()) {
      const m = Number(await other.textContent());
      await other.click();
      await expect.poll(() => page.getByTestId('packet-dialog').getByRole('heading', { level: 2 }).textContent()).toContain(`Packet ${m} `);
      expect(m).not.toBe(n);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('packet-dialog').isVisible()).toBe(false);

    // Reload: nothing of the session is left; History → the case → its run shows the same result.
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Alt+Digit5');
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    await page.getByTestId('history-row').first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^#1 /);
    await page.getByRole('tab', { name: /Analysis runs/ }).click();
    await page.getByTestId('open-run').first().click();
    await page.getByTestId('run-result').getByTestId('verdict-banner').waitFor();
    expect(await shown(page)).toEqual(live);
    expect(await page.getByTestId('run-result').getByTestId('timeline-chart').count()).toBe(1);
    await screenshot(page, '51-run-result');
    await openFirstPacket(page, '52-run-packet-view');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, '52b-run-packet-view-1920');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'All runs' }).click();
    await page.getByTestId('run-row').first().waitFor();
    expect(browser.problems).toEqual([]);
  });

  it('looks right in the dark theme too', async () => {
    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      const page = dark.page;
      await page.goto(served.url);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.keyboard.press('Alt+Digit5');
      await page.getByTestId('history-row').first().click();
      await page.getByRole('tab', { name: /Analysis runs/ }).click();
      await screenshot(page, '53-runs-dark');
      await page.getByTestId('open-run').first().click();
      await page.getByTestId('run-result').getByTestId('verdict-banner').waitFor();
      await screenshot(page, '54-run-result-dark');
      await openFirstPacket(page, '55-packet-view-dark');
      await page.keyboard.press('Escape');

      // A conversation that carried payload: the packet view follows the TCP stream.
      const nat = join(CASES, 'seed001-nat-legit');
      await gotoNewCase(page, served.url);
      await page.locator('#complaint').fill(await readFile(join(nat, 'complaint.txt'), 'utf8'));
      await page.getByTestId('evidence-input').setInputFiles(join(nat, 'mirror.pcap'));
      await page.getByTestId('evidence-row').getByText('pcap', { exact: true }).waitFor({ timeout: 60_000 });
      await page.keyboard.press('Control+Enter');
      await page.getByTestId('saved-case').waitFor({ timeout: 120_000 });
      const links = page.getByTestId('open-packet');
      const dialog = page.getByTestId('packet-dialog');
      let followed = false;
      for (let i = 0; i < Math.min(await links.count(), 12) && !followed; i++) {
        if (!(await links.nth(i).isVisible())) continue;
        await links.nth(i).click();
        await dialog.getByTestId('packet-layers').waitFor({ timeout: 30_000 });
        followed = (await dialog.getByTestId('follow-stream').count()) > 0;
        if (!followed) await page.keyboard.press('Escape');
      }
      expect(followed).toBe(true);
      expect((await dialog.getByTestId('follow-stream').textContent())?.length).toBeGreaterThan(20);
      await dialog.getByTestId('follow-stream').scrollIntoViewIfNeeded();
      await screenshot(page, '56-packet-follow-dark');
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
