import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DetectContext } from '../../../analysis/detect/detector';
import { makeContext } from '../../helpers/context';
import { loadEvents } from '../../helpers/load-events';
import { casesDir, corpusDir } from '../../helpers/paths';

/** Corpus files are beside the checkout (../shared); tests on them fail, naming the path, when it is absent. */
function requireCorpus(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: the tests need ../shared/corpus and ../shared/cases beside the checkout`);
}

const cache = new Map<string, Promise<Awaited<ReturnType<typeof loadEvents>>>>();

/** A context over one real capture (path relative to the corpus or, with "cases/", the cases dir). */
export async function corpusContext(rel: string, accused: string[], targets?: string[]): Promise<DetectContext> {
  const path = rel.startsWith('cases/') ? join(casesDir, rel.slice(6)) : join(corpusDir, rel);
  requireCorpus(path);
  let p = cache.get(path);
  if (!p) { p = loadEvents(path); cache.set(path, p); }
  return makeContext({ events: await p, accused, targets });
}
