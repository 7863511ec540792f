import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMail } from '../../../analysis/complaint/mail';
import { isZip, unzip } from '../../../analysis/complaint/unzip';
import { limitsWith, MessageBudget } from '../../../analysis/limits';
import { writeZip } from '../../helpers/fuzz-zip';
import { corpusDir } from '../../helpers/paths';

const MiB = 1024 * 1024;

describe('unzip', () => {
  it('rejects non-zips and damaged archives without throwing', async () => {
    expect(isZip(new Uint8Array([1, 2, 3]))).toBe(false);
    const problems: string[] = [];
    const fake = new Uint8Array(64);
    fake.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await unzip(fake, problems)).toEqual([]);
    expect(problems.length).toBe(1);
  });
});

describe('inflating within a budget', () => {
  it('stops a 1000:1 entry where the message room ends, not after inflating it', async () => {
    const zip = writeZip([{ name: 'bomb.csv', data: new Uint8Array(30 * MiB), method: 8 }]);
    expect(zip.length).toBeLessThan(40 * 1024);
    const budget = new MessageBudget(limitsWith({ message: { decodedBytes: 1.25 * MiB } }).message);
    budget.useDecoded(MiB);
    const problems: string[] = [];
    const out = await unzip(zip, problems, { budget });
    expect(out.map((e) => e.content.length)).toEqual([MiB / 4]);
    expect(budget.decodedRoom()).toBe(0);
    expect(problems).toEqual([`zip: bomb.csv: read only its first ${MiB / 4} bytes (stopped at byte offset ${MiB / 4}): the message's decoded-bytes limit (1.3 MiB) was reached`]);
  });

  it('stops an entry at its declared size and at the per-entry limit', async () => {
    const zip = writeZip([{ name: 'a.csv', data: new Uint8Array(3 * MiB), method: 8 }, { name: 'b.csv', data: new Uint8Array(10), method: 0 }]);
    const problems: string[] = [];
    const out = await unzip(zip, problems, { entryBytes: MiB });
    expect(out.map((e) => e.content.length)).toEqual([MiB, 10]);
    expect(problems).toEqual([`zip: a.csv: read only its first ${MiB} bytes (stopped at byte offset ${MiB}): the per-entry limit (1 MiB) was reached`]);
    // A central directory that understates the size: inflating stops 1 KiB past what it claims.
    const lying = writeZip([{ name: 'a.csv', data: new Uint8Array(MiB), method: 8 }]);
    new DataView(lying.buffer, lying.byteOffset).setUint32(lying.length - 22 - 46 - 5 + 24, 100, true);
    const p2: string[] = [];
    const out2 = await unzip(lying, p2);
    expect(out2.map((e) => e.content.length)).toEqual([1124]);
    expect(p2).toEqual(['zip: a.csv: read only its first 1124 bytes (stopped at byte offset 1124): its declared size (100 bytes) was reached']);
  });
});

describe('unzip on a real report', () => {
  it('the Shadowserver open-resolver report mailed as a zip (AbuseIO corpus) inflates to the very CSV Shadowserver publishes', async () => {
    const name = 'shadowserver__2015-01-01-dns_openresolver-sample-asn.csv';
    const mail = await parseMail(new Uint8Array(readFileSync(join(corpusDir, 'complaints', 'abuseio', `${name}.zip.eml`))));
    const zip = mail.attachments.find((a) => isZip(a.content))!;
    const problems: string[] = [];
    const entries = await unzip(zip.content, problems);
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.name)).toEqual([name.replace('shadowserver__', '')]);
    expect(Buffer.from(entries[0].content).equals(readFileSync(join(corpusDir, 'complaints', 'shadowserver-csv', name)))).toBe(true);
  });
});
