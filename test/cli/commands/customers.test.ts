import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli-runner';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'customers-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('abuse-desk customers', () => {
  it('imports a CSV, names the bad rows, and answers lookups with the longest prefix', async () => {
    const csv = join(dir, 'customers.csv');
    await writeFile(csv, 'prefix,customer,contact,notes\n198.51.100.0/24,Reseller Ltd,noc@reseller.example,\n198.51.100.8/29,Shop GmbH,abuse@shop.example,"rack 4, hall B"\nbogus,Nobody,,\n');
    const data = join(dir, 'data');
    const imp = await cli(['customers', 'import', csv, '--data-dir', data]);
    expect(imp.status).toBe(0);
    expect(imp.stdout).toBe('Imported 2 prefixes from customers.csv; 1 rows skipped:\n  customers.csv line 4: "bogus" is not an address or CIDR prefix\n');
    expect((await stat(join(data, 'customers.json'))).mode & 0o777).toBe(0o600);

    const look = await cli(['customers', 'lookup', '198.51.100.9', '198.51.100.99', '203.0.113.1', '--data-dir', data]);
    expect(look.status).toBe(1);
    expect(look.stdout.split('\n')).toEqual([
      '198.51.100.9  198.51.100.8/29  Shop GmbH  <abuse@shop.example>  (rack 4, hall B)',
      '198.51.100.99  198.51.100.0/24  Reseller Ltd  <noc@reseller.example>',
      '203.0.113.1  no customer',
      '',
    ]);
    const json = JSON.parse((await cli(['customers', 'lookup', '198.51.100.9', '--json', '--data-dir', data])).stdout);
    expect(json['198.51.100.9'].customer).toBe('Shop GmbH');
    expect((await cli(['customers', 'info', '--data-dir', data])).stdout).toMatch(/^2 prefixes from customers\.csv, imported \d{4}-/);
  });

  it('keeps the previous list when the new file has nothing readable', async () => {
    const data = join(dir, 'data2');
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify([{ prefix: '192.0.2.0/24', customer: 'Lab' }]));
    expect((await cli(['customers', 'import', good, '--data-dir', data])).status).toBe(0);
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'a,b\n1,2\n');
    const r = await cli(['customers', 'import', bad, '--data-dir', data]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Nothing imported from bad\.csv:\n  bad\.csv line 1: the header must name a prefix and a customer column/);
    expect((await cli(['customers', 'lookup', '192.0.2.5', '--data-dir', data])).stdout).toContain('Lab');
  });

  it('is a usage error without a subcommand or file', async () => {
    expect((await cli(['customers'])).status).toBe(2);
    expect((await cli(['customers', 'import'])).status).toBe(2);
    expect((await cli(['customers', 'lookup'])).status).toBe(2);
  });
});
