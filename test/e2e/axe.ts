import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { screenshot } from './harness';

/**
 * axe-core run inside the page. @axe-core/playwright needs Node >= 22.12, so
 * the library is evaluated through the DevTools protocol instead: that is not
 * a <script> element, so the app's CSP (script-src 'self') stays as shipped.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One failed rule on one screen, as a test failure names it. */
export interface Violation {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

export type Theme = 'light' | 'dark';
export interface Size { width: number; height: number }
export const SIZES: readonly Size[] = [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }];
export const THEMES: readonly Theme[] = ['light', 'dark'];

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; any: Array<{ data: unknown }> }> }>;
}

async function runAxe(page: Page): Promise<AxeResult['violations']> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe;
    // Every rule axe runs by default (WCAG 2.x A/AA and best practices); the impact decides what fails.
    const r = await axe.run(document, { resultTypes: ['violations'] });
    // A contrast failure carries its colours and ratio: the message then says what to change.
    const detail = (d: unknown) => {
      const c = d as { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string } | null;
      return c?.contrastRatio ? ` (${c.contrastRatio}:1, needs ${c.expectedContrastRatio}; ${c.fgColor} on ${c.bgColor})` : '';
    };
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: [...n.target, detail(n.any[0]?.data)], any: [] })),
    }));
  });
}

/** The smallest text a screen may show (secondary labels); body text is 14 px. */
export const MIN_TEXT_PX = 12.5;
/**
 * The share of the characters on a screen that must be body size (14 px) or
 * larger: the rest are secondary labels (column heads, badges, key caps,
 * counts). Most text was at 11.5–12.5 px before the type scale; with it
 * screens are at 63–92 %.
 */
export const MIN_BODY_SHARE = 0.6;

interface TypeSizes { small: string[]; bodyShare: number }

/**
 * The rendered size of every visible character: text below MIN_TEXT_PX (with
 * where it is) and the share of characters at 14 px or more. SVG text is
 * measured as drawn (its font size times the chart's scale).
 */
async function typeSizes(page: Page): Promise<TypeSizes> {
  return page.evaluate((min) => {
    const small = new Map<string, number>();
    let chars = 0;
    let body = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim() ?? '';
      const el: Element | null = n.parentElement;
      if (!text || !el || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1 || el.closest('.visually-hidden')) continue;
      let px = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGGraphicsElement) px *= el.getScreenCTM()?.a ?? 1;
      chars += text.length;
      if (px >= 13.95) body += text.length;
      if (px < min - 0.05) {
        const where = `${el.tagName.toLowerCase()}${el.classList.length ? `.${[...el.classList].filter((c) => !c.startsWith('svelte-')).join('.')}` : ''} ${px.toFixed(1)}px "${text.slice(0, 24)}"`;
        small.set(where, px);
      }
    }
    return { small: [...small.keys()], bodyShare: chars ? body / chars : 1 };
  }, MIN_TEXT_PX);
}

/** Two frames: layout and paint after a theme or size change. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/**
 * The screen as it is, in both themes at both sizes: a screenshot of each
 * (`a11y-<screen>-<theme>-<width>.png`) and axe's violations. Serious and
 * critical ones are returned to fail the test; the others are collected in
 * `minor` (rule → the screens and elements) so a run can print them. The page is left light at 1280x800.
 */
export async function checkScreen(page: Page, screen: string, minor: Map<string, Set<string>>, opts: { shoot?: (name: string) => Promise<void> } = {}): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await settle(page);
      const name = `a11y-${screen}-${theme}-${size.width}`;
      if (opts.shoot) await opts.shoot(name);
      else await screenshot(page, name);
      if (theme === 'light') {
        const t = await typeSizes(page);
        const where = `${screen} (${size.width}x${size.height})`;
        if (t.small.length) found.push({ screen: where, rule: 'type-scale', impact: 'serious', help: `text below ${MIN_TEXT_PX} px`, targets: t.small });
        if (t.bodyShare < MIN_BODY_SHARE) {
          found.push({ screen: where, rule: 'type-scale', impact: 'serious', help: `${Math.round(t.bodyShare * 100)}% of the text at 14 px or more, below ${MIN_BODY_SHARE * 100}%`, targets: [] });
        }
        typeShares.push(`${where}: ${Math.round(t.bodyShare * 100)}%`);
      }
      for (const v of await runAxe(page)) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          found.push({ screen: `${screen} (${theme}, ${size.width}x${size.height})`, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ').trim()) });
        } else {
          const key = `${v.id} (${v.impact ?? 'no impact'})`;
          const seen = minor.get(key) ?? new Set<string>();
          for (const n of v.nodes) seen.add(`${screen}: ${n.target.join(' ').trim()}`);
          minor.set(key, seen);
        }
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.setViewportSize(SIZES[0]);
  await settle(page);
  return found;
}

/** Each screen's share of body-size text, for the run's log. */
export const typeShares: string[] = [];

/** Violations as a test failure lists them: one line per rule and screen, with its elements. */
export function describeViolations(vs: readonly Violation[]): string {
  return vs.map((v) => `${v.screen}: ${v.rule} [${v.impact}] ${v.help}\n    ${v.targets.slice(0, 8).join('\n    ')}${v.targets.length > 8 ? `\n    … ${v.targets.length - 8} more` : ''}`).join('\n');
}
