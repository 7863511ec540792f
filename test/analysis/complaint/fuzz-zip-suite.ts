import fc from 'fast-check';
import { expect, it } from 'vitest';
import { unzip } from '../../../analysis/complaint/unzip';
import { checkSane, facts, junkBytes, parse } from '../../helpers/fuzz-complaint';
import { renderMail, type Tree } from '../../helpers/fuzz-mime';
import { mutate, mutation } from '../../helpers/fuzz-mutate';
import { fcParams } from '../../helpers/fuzz-seed';
import { writeZip, type ZipInput } from '../../helpers/fuzz-zip';

/**
 * ZIP attachments (Shadowserver sends its CSV zipped). Deflate cannot expand
 * data more than 1032:1 (RFC 1951: a 258-byte match costs at least 2 bits),
 * so entries read from disjoint parts of an archive total at most about 1032
 * times its size; more means entries were read twice (overlapping entries,
 * the zip bomb trick). The unzipper also keeps below 64 MiB in all.
 */
const DEFLATE_MAX_RATIO = 1032;
const MAX_TOTAL = 64 * 1024 * 1024;

interface Seed { name: string; bytes: Uint8Array }

function mailWith(attachment: { name: string; type: string; content: Uint8Array }): Uint8Array {
  const tree: Tree = {
    subtype: 'mixed', boundary: 'zip-boundary-1',
    parts: [
      { type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: Buffer.from('Please find attached the report on your network.\n') },
      { type: attachment.type, encoding: 'base64', filename: attachment.name, body: attachment.content },
    ],
  };
  return renderMail([['From', 'autoreports@example.org'], ['To', 'abuse@example.net'], ['Subject', 'Daily report'], ['Date', 'Thu, 1 Jan 2015 10:00:00 +0000']], tree, '\r\n');
}

/** Offsets in a central directory header (APPNOTE 4.3.12) and the end record (4.3.16) worth lying in. */
const CD_FIELDS = [8, 10, 20, 24, 28, 30, 32, 42];
const EOCD_FIELDS = [8, 10, 12, 16, 20];
const zipLie = fc.record({ which: fc.nat(), field: fc.nat(), value: fc.constantFrom(0, 1, 0xffff, 0xffffffff, 0x7fffffff, 46, 30) });

function lie(zip: Uint8Array, l: { which: number; field: number; value: number }): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  const heads: number[] = [];
  for (let i = 0; i + 4 <= out.length; i++) if (dv.getUint32(i, true) === 0x02014b50 || dv.getUint32(i, true) === 0x06054b50) heads.push(i);
  if (heads.length === 0) return out;
  const at = heads[l.which % heads.length];
  const eocd = dv.getUint32(at, true) === 0x06054b50;
  const off = (eocd ? EOCD_FIELDS : CD_FIELDS)[l.field % (eocd ? EOCD_FIELDS.length : CD_FIELDS.length)];
  const wide = eocd ? off >= 12 && off < 20 : off >= 20 && off < 28 || off === 42;
  if (at + off + (wide ? 4 : 2) > out.length) return out;
  if (wide) dv.setUint32(at + off, l.value >>> 0, true);
  else dv.setUint16(at + off, l.value & 0xffff, true);
  return out;
}

export function unzipProperties(runs: number, csv: Seed[]): void {
  const zipShape = fc.record({
    method: fc.constantFrom(0 as const, 8 as const),
    junk: fc.array(fc.record({ name: fc.constantFrom('docs/', 'readme.bin', 'data/blob.bin'), data: junkBytes, method: fc.constantFrom(0 as const, 8 as const) }), { maxLength: 4 }),
    position: fc.nat(),
    extra: fc.uint8Array({ maxLength: 12 }),
    comment: fc.string({ maxLength: 20 }),
  });

  it('reads a Shadowserver CSV the same sent plain or zipped (stored or deflated, with other entries, comments, extra fields)', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...csv), zipShape, async (seed, z) => {
      const plain = await parse(mailWith({ name: seed.name, type: 'text/csv', content: seed.bytes }));
      expect(plain.accused.length).toBeGreaterThan(0);
      const entries: ZipInput[] = z.junk.map((j) => ({ ...j, data: j.name.endsWith('/') ? new Uint8Array() : j.data }));
      entries.splice(z.position % (entries.length + 1), 0, { name: seed.name, data: seed.bytes, method: z.method, extra: z.extra, comment: z.comment });
      const zip = writeZip(entries, { comment: z.comment });
      const bytes = mailWith({ name: `${seed.name}.zip`, type: 'application/zip', content: zip });
      const c = await parse(bytes);
      checkSane(c, bytes);
      expect(facts(c)).toEqual(facts(plain));
    }), fcParams(runs));
  });

  it('unzips damaged archives (lying sizes and offsets, too many or overlapping entries) without throwing or growing past the deflate bound', async () => {
    const archive = fc.record({
      seed: fc.constantFrom(...csv),
      copies: fc.integer({ min: 1, max: 40 }),
      method: fc.constantFrom(0 as const, 8 as const),
      shared: fc.boolean(),
      lies: fc.array(zipLie, { maxLength: 3 }),
      bytewise: fc.array(mutation, { maxLength: 2 }),
    });
    await fc.assert(fc.asyncProperty(archive, async (a) => {
      const entries = Array.from({ length: a.copies }, (_, i): ZipInput => ({ name: `r${i}.csv`, data: a.seed.bytes, method: a.method, sharesWith: a.shared && i > 0 ? 0 : undefined }));
      let zip = writeZip(entries);
      for (const l of a.lies) zip = lie(zip, l);
      zip = mutate(zip, a.bytewise);
      const problems: string[] = [];
      const out = await unzip(zip, problems);
      const total = out.reduce((n, e) => n + e.content.length, 0);
      expect(out.length).toBeLessThanOrEqual(20);
      expect(total).toBeLessThanOrEqual(Math.min(MAX_TOTAL, DEFLATE_MAX_RATIO * zip.length));
      for (const p of problems) expect(p).toMatch(/^zip: /);
    }), fcParams(runs));
  });
}
