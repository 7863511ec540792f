import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSane, dress, dressedMail, facts, junkBytes, parse, plainFacts, plainMail, plainText } from '../../helpers/fuzz-complaint';
import { mailMutation, mutateMail } from '../../helpers/fuzz-mail-mutate';
import { appendPart, joinMail, reorderFields, safeWords, splitMail } from '../../helpers/fuzz-mime';
import { mutate, mutation } from '../../helpers/fuzz-mutate';
import { arfCase, arfMail, xarfCase, xarfMail } from '../../helpers/fuzz-reports';
import { fcParams, seedLabel } from '../../helpers/fuzz-seed';
import { corpusDir, filesIn, fixturesDir } from '../../helpers/paths';
import { unzipProperties } from './fuzz-zip-suite';

/**
 * The complaint fuzz properties (oracles in test/helpers/fuzz-complaint.ts),
 * seeded with the complaint fixtures and the shared corpus of real
 * complaints. The unit and slow tiers run this suite with different counts.
 */
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const complaints = join(corpusDir, 'complaints');

interface Seed { name: string; bytes: Uint8Array }
// A counterexample names its seed file instead of printing its bytes.
const seedsOf = (files: string[]): Seed[] => files.map((f) => ({ name: basename(f), bytes: read(f), [fc.toStringMethod]: () => basename(f) }));

export function complaintFuzzSuite(runs: number): void {
  const mails = seedsOf([
    ...filesIn(join(fixturesDir, 'complaints'), /\.(eml|txt)$/),
    ...filesIn(join(fixturesDir, 'mail'), /\.eml$/),
    ...filesIn(join(complaints, 'abuseio'), /\.eml$/),
  ]);
  const xarfJson = seedsOf(filesIn(join(complaints, 'xarf'), /\.json$/));
  const csv = seedsOf(filesIn(join(complaints, 'shadowserver-csv'), /\.csv$/));
  const all = [...mails, ...xarfJson, ...csv];
  console.info(`complaint fuzz: ${seedLabel()}, ${runs} runs per property, ${all.length} seeds`);

  describe(`complaint fuzz, ${seedLabel()}`, () => {
    it('has seeds of every kind', () => {
      // The corpus is required: without it most properties would have nothing to mutate.
      expect(mails.length).toBeGreaterThan(80);
      expect(xarfJson.length).toBeGreaterThan(20);
      expect(csv.length).toBeGreaterThan(10);
    });

    it('returns a bounded complaint for every seed mutated byte-wise and structurally', async () => {
      await fc.assert(fc.asyncProperty(
        fc.constantFrom(...all), fc.array(mailMutation, { maxLength: 3 }), fc.array(mutation, { maxLength: 3 }),
        async (seed, structural, bytewise) => {
          const input = mutate(mutateMail(seed.bytes, structural), bytewise);
          checkSane(await parse(input), input);
        },
      ), fcParams(runs));
    });

    it('reads one complaint the same in any MIME dress (encoding, charset, nesting, boundaries, headers, line ends)', async () => {
      await fc.assert(fc.asyncProperty(plainFacts, dress, async (f, d) => {
        const plain = await parse(plainMail(f));
        // The plain form is understood: the accused, the target, the port, the time.
        expect(plain).toMatchObject({ accused: [f.accused], targets: [f.target], ports: { destination: [f.port] } });
        expect(plain.times.map((t) => t.ts)).toEqual([f.at * 1_000_000]);
        const { bytes, junk } = dressedMail(f, d);
        const c = await parse(bytes);
        checkSane(c, bytes);
        expect(facts(c)).toEqual(facts(plain));
        expect(c.text.trim()).toBe(plainText(f).trim());
        expect(c.attachments.map((a) => ({ filename: a.filename, content: a.content }))).toEqual(junk);
      }), fcParams(runs));
    });

    const multipart = mails.filter((s) => { const m = splitMail(s.bytes); return m && appendPart(m, { type: 'text/plain', encoding: '8bit', body: new Uint8Array() }); });
    it(`keeps its facts when a junk part is added to any of ${multipart.length} multipart seeds`, async () => {
      expect(multipart.length).toBeGreaterThan(40);
      await fc.assert(fc.asyncProperty(fc.constantFrom(...multipart), junkBytes, async (seed, content) => {
        const before = await parse(seed.bytes);
        const bytes = joinMail(appendPart(splitMail(seed.bytes)!, { type: 'application/octet-stream', encoding: 'base64', filename: 'fuzz-junk.bin', body: content })!);
        const after = await parse(bytes);
        checkSane(after, bytes);
        expect(facts(after)).toEqual(facts(before));
        expect(after.attachments.filter((a) => a.filename !== 'fuzz-junk.bin')).toEqual(before.attachments);
        // mailparser drops a part that follows an unclosed multipart inside a message/rfc822 part (the AOL
        // ARF sample has one); when the part does come out, it must come out whole.
        const junk = after.attachments.find((a) => a.filename === 'fuzz-junk.bin');
        if (junk) expect(junk.content).toEqual(content);
      }), fcParams(runs));
    });

    const withHeaders = mails.filter((s) => splitMail(s.bytes) !== undefined && /\.eml$/.test(s.name));
    it('reads a mail the same whatever the order of its header fields, with irrelevant ones added', async () => {
      const extra = fc.array(fc.oneof(
        safeWords.map((w) => `X-Fuzz: ${w}`),
        fc.integer({ min: 1, max: 254 }).map((n) => `Received: from relay.example.com ([10.1.2.${n}]) by mx.example.org; Tue, 05 Mar 2024 12:59:58 +0100`),
      ), { maxLength: 4 });
      await fc.assert(fc.asyncProperty(fc.constantFrom(...withHeaders), fc.array(fc.nat(1000), { minLength: 1, maxLength: 30 }), extra, async (seed, keys, added) => {
        const before = await parse(seed.bytes);
        const m = splitMail(seed.bytes)!;
        const bytes = joinMail(reorderFields({ ...m, fields: [...m.fields, ...added] }, keys));
        expect(await parse(bytes)).toEqual(before);
      }), fcParams(runs));
    });

    it('finds an ARF report\'s Source-IP and Arrival-Date whatever the field order, extra fields, folding and line ends', async () => {
      await fc.assert(fc.asyncProperty(arfCase, async (a) => {
        const canonical = await parse(arfMail(a, true));
        expect(canonical.format).toBe('arf');
        expect(canonical.accused[0]).toBe(a.sourceIp);
        expect(canonical.times.map((t) => t.ts)).toContain(a.at * 1_000_000);
        if (a.feedbackType === 'virus') expect(canonical.activity).toBe('worm');
        if (a.feedbackType === 'abuse') expect(canonical.activity).toBe('spam');
        const bytes = arfMail(a);
        const c = await parse(bytes);
        checkSane(c, bytes);
        expect(facts(c)).toEqual(facts(canonical));
      }), fcParams(runs));
    });

    it('finds an X-ARF report\'s Source, Port and Date in any field order and quoting, in the body or report.txt', async () => {
      await fc.assert(fc.asyncProperty(xarfCase, async (x) => {
        const bytes = xarfMail(x);
        const c = await parse(bytes);
        checkSane(c, bytes);
        expect(c.format).toBe('xarf-yaml');
        expect(c.accused[0]).toBe(x.source);
        expect(c.ports.destination).toContain(x.port);
        expect(c.times.map((t) => t.ts)).toContain(x.at * 1_000_000);
        expect(c.activity).toBe(x.reportType === 'portscan' ? 'port-scan' : 'brute-force');
      }), fcParams(runs));
    });

    it('reads X-ARF JSON the same with its keys reordered, re-indented and unknown keys added', async () => {
      // Unknown keys carry letters that spell no word the parser knows: a description that says "syn" or "scan" is prose it may read.
      const qwxz = fc.string({ unit: fc.constantFrom(...'qwxz '), minLength: 1, maxLength: 30 });
      const shape = fc.record({ keys: fc.array(fc.nat(1000), { minLength: 1, maxLength: 20 }), indent: fc.constantFrom(0, 1, 2, 4, '\t'), junk: fc.array(fc.tuple(qwxz.map((k) => k.replace(/ /g, 'q')), qwxz), { maxLength: 4 }) });
      await fc.assert(fc.asyncProperty(fc.constantFrom(...xarfJson), shape, async (seed, s) => {
        const before = await parse(seed.bytes);
        expect(before.format).toBe('xarf-json');
        const doc = reshape(JSON.parse(Buffer.from(seed.bytes).toString('utf8')), s.keys, s.junk);
        const bytes = Buffer.from(JSON.stringify(doc, null, s.indent));
        const c = await parse(bytes);
        checkSane(c, bytes);
        expect(facts(c)).toEqual(facts(before));
      }), fcParams(runs));
    });

    unzipProperties(runs, csv);
  });
}

/** The same JSON document with object keys in another order and unknown "zz..." keys added to each object. */
function reshape(v: unknown, keys: number[], junk: Array<[string, string]>, depth = 0): unknown {
  if (Array.isArray(v)) return v.map((x) => reshape(x, keys, junk, depth + 1));
  if (!v || typeof v !== 'object') return v;
  const entries = Object.entries(v as Record<string, unknown>).map(([k, x], i) => ({ k, x: reshape(x, keys, junk, depth + 1), o: keys[(i + depth) % keys.length] + i / 1e6 }));
  entries.sort((a, b) => a.o - b.o);
  const out: Record<string, unknown> = {};
  for (const e of entries) out[e.k] = e.x;
  for (const [k, w] of junk) out[`zz${k}`] = w;
  return out;
}
