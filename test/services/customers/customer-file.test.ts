import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CustomerFile } from '../../../services/customers/customer-file';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('CustomerFile', () => {
  it('replaces the list on import and another instance on the same folder sees the new one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'customer-file-'));
    dirs.push(dir);
    const a = new CustomerFile(dir);
    const b = new CustomerFile(dir);
    expect(await b.info()).toEqual({ count: 0, source: null, importedAt: null });
    await a.import('prefix,customer\n198.51.100.0/24,First\n', 'one.csv', 1000);
    expect((await b.lookup(['198.51.100.1']))['198.51.100.1']?.customer).toBe('First');
    // A second import replaces, not merges.
    await new Promise((r) => setTimeout(r, 20));
    const r = await a.import('prefix,customer\n203.0.113.0/24,Second\n', 'two.csv', 2000);
    expect(r).toMatchObject({ imported: true, count: 1, source: 'two.csv', importedAt: 2000 });
    expect(await b.lookup(['198.51.100.1', '203.0.113.9'])).toEqual({ '198.51.100.1': null, '203.0.113.9': { prefix: '203.0.113.0/24', customer: 'Second' } });
  });

  it('reads a damaged file as an empty list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'customer-file-bad-'));
    dirs.push(dir);
    await writeFile(join(dir, 'customers.json'), '{not json');
    expect(await new CustomerFile(dir).info()).toEqual({ count: 0, source: null, importedAt: null });
  });
});
