/** The good / truncated / corrupt fixture trio every format has (see test/fixtures/<format>/README.md). */
import { expect, it } from 'vitest';
import type { LineParser } from '../../../../analysis/ingest/reader';
import { fixture, readFile } from './helpers';

export function fixtureTrio(parser: LineParser, dir: string, stem: string, ext: string, goodCount: number): void {
  it(`${dir}/${stem}: truncated copy keeps every complete record`, async () => {
    const good = await readFile(parser, fixture(dir, `${stem}.${ext}`));
    const cut = await readFile(parser, fixture(dir, `${stem}-truncated.${ext}`));
    expect(good.events.length).toBe(goodCount);
    // Only the last record is cut; it is either dropped or read partially, never a throw.
    expect(cut.events.length).toBeGreaterThanOrEqual(goodCount - 1);
    expect(cut.events.length).toBeLessThanOrEqual(goodCount);
    expect(cut.events.slice(0, goodCount - 1)).toEqual(good.events.slice(0, goodCount - 1).map((e) => ({ ...e, source: { ...e.source, file: `${stem}-truncated.${ext}` } })));
  });

  it(`${dir}/${stem}: binary junk is reported with its line number and the lines around it are kept`, async () => {
    const good = await readFile(parser, fixture(dir, `${stem}.${ext}`));
    const bad = await readFile(parser, fixture(dir, `${stem}-corrupt.${ext}`));
    expect(bad.events.length).toBe(good.events.length);
    const junk = bad.diag.weirds.find((w) => w.code === 'binary_in_text');
    expect(junk?.line).toBe(5);
    // Lines after the junk keep their own (shifted) line numbers.
    const lastGood = good.events[good.events.length - 1];
    const lastBad = bad.events[bad.events.length - 1];
    expect(lastBad.source.line).toBe(lastGood.source.line! + 1);
    expect(lastBad.ts).toBe(lastGood.ts);
    expect(lastBad.src).toBe(lastGood.src);
  });
}
