import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveStatic } from '../../host/static-files';
import { tempDir } from '../electron/helpers';

describe('static files', () => {
  const t = tempDir('ad-static-');
  afterAll(() => t.remove());
  mkdirSync(join(t.dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(t.dir, 'renderer', 'index.html'), '<!doctype html>');
  writeFileSync(join(t.dir, 'renderer', 'assets', 'a.js'), '1');
  writeFileSync(join(t.dir, 'secret.txt'), 'secret');
  const root = join(t.dir, 'renderer');

  it('serves files under the root', () => {
    expect(resolveStatic(root, '/')?.mime).toMatch(/text\/html/);
    expect(resolveStatic(root, '/assets/a.js')?.mime).toMatch(/javascript/);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/a%00.js', '/%E0%A4%A', '/assets'])('refuses %s', (p) => {
    expect(resolveStatic(root, p)).toBeUndefined();
  });
});
