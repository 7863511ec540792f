import fc from 'fast-check';
import { expect } from 'vitest';
import type { Complaint } from '../../analysis/complaint/complaint';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import { boundary, encodeCharset, renderMail, safeWords, type Encoding, type Eol, type Leaf, type Tree } from './fuzz-mime';

/**
 * Oracles of the complaint fuzz tests.
 *
 * Sanity, for any input: parseComplaint resolves with a complaint; its own
 * catch-all ("complaint could not be understood") never fires, because that
 * means a stage threw; what it returns is bounded by the input: the text
 * never longer than the input, attachments never more bytes than the input,
 * every list under its cap, and the whole (without text and attachments)
 * at most 32 bytes of JSON per input byte plus 512 KiB (port ranges written
 * in a few characters expand to up to 10,000 ports).
 *
 * Facts: what a reply is built from. Two mails that say the same thing in
 * different MIME clothing must give the same facts.
 */

/** "Now" for year-less times, fixed so two parses of one complaint agree. */
export const FUZZ_NOW = Date.UTC(2024, 5, 1);

export function parse(bytes: Uint8Array): Promise<Complaint> {
  return parseComplaint(bytes, { nowMs: FUZZ_NOW, fileName: 'fuzzed' });
}

export function checkSane(c: Complaint, input: Uint8Array): void {
  expect(c.warnings.filter((w) => w.startsWith('complaint could not be understood'))).toEqual([]);
  expect(c.text.length).toBeLessThanOrEqual(input.length);
  expect(c.attachments.reduce((n, a) => n + a.content.length, 0)).toBeLessThanOrEqual(input.length);
  expect(c.times.length).toBeLessThanOrEqual(1000);
  expect(c.ports.source.length).toBeLessThanOrEqual(10_000);
  expect(c.ports.destination.length).toBeLessThanOrEqual(10_000);
  expect(c.quotedEvents.length).toBeLessThanOrEqual(20_000);
  const { text: _t, attachments: _a, ...rest } = c;
  expect(JSON.stringify(rest).length).toBeLessThanOrEqual(32 * input.length + 512 * 1024);
}

/** The facts a reply rests on. */
export function facts(c: Complaint): Record<string, unknown> {
  return {
    format: c.format, subject: c.subject, dateMs: c.dateMs, reporter: c.reporter,
    accused: c.accused, targets: c.targets, ports: c.ports, protocol: c.protocol, activity: c.activity,
    times: c.times, zone: c.zone, claimedCount: c.claimedCount, sensor: c.sensor,
  };
}

// ------------------------------------------------------------------ a complaint in many MIME shapes

export interface PlainFacts {
  accused: string;
  target: string;
  port: number;
  /** Seconds since the epoch of the incident, written in UTC. */
  at: number;
  filler: string;
}

export const plainFacts: fc.Arbitrary<PlainFacts> = fc.record({
  accused: fc.integer({ min: 1, max: 254 }).map((n) => `198.51.100.${n}`),
  target: fc.integer({ min: 1, max: 254 }).map((n) => `203.0.113.${n}`),
  port: fc.integer({ min: 1, max: 65535 }),
  at: fc.integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }),
  filler: safeWords,
});

const iso = (s: number): string => new Date(s * 1000).toISOString().replace('T', ' ').slice(0, 19);

/** The complaint's words; "Grüße" makes the charset matter. */
export function plainText(f: PlainFacts): string {
  return `Hello,\n\nyour host ${f.accused} has been scanning our network.\nOur host ${f.target} was probed on port ${f.port}/tcp.\n` +
    `First seen: ${iso(f.at)} UTC.\n\n${f.filler}\n\nGrüße, the abuse desk\n`;
}

export const BASE_HEADERS = (f: PlainFacts): Array<[string, string]> => [
  ['From', 'Abuse Desk <abuse@example.net>'],
  ['To', 'abuse@example.org'],
  ['Subject', 'Port scan report'],
  ['Date', 'Tue, 05 Mar 2024 13:00:00 +0100'],
  ['Message-ID', `<${f.at}.${f.port}@example.net>`],
];

/** How one complaint is dressed: everything here must leave its facts alone. */
export interface Dress {
  charset: 'utf-8' | 'iso-8859-1' | 'windows-1252' | 'utf-16le';
  encoding: Exclude<Encoding, '7bit'>;
  width: number;
  eol: Eol;
  /** Multipart levels around the text, outermost first, each with junk parts after the text. */
  levels: Array<{ subtype: 'mixed' | 'related' | 'alternative'; boundary: string; junk: Uint8Array[]; preamble?: string; epilogue?: string }>;
  /** Extra header fields (Received lines with other addresses, X- fields), and the sort keys of all fields. */
  extraHeaders: Array<[string, string]>;
  order: number[];
  encodedSubject: 'plain' | 'B' | 'Q';
}

function encodedWord(s: string, how: 'plain' | 'B' | 'Q'): string {
  if (how === 'plain') return s;
  if (how === 'B') return `=?utf-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
  return `=?utf-8?Q?${[...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')}?=`;
}

/** The plain dress: one UTF-8 text/plain part, 8bit, CRLF, the headers in their usual order. */
export function plainMail(f: PlainFacts): Uint8Array {
  return renderMail(BASE_HEADERS(f), { type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: Buffer.from(plainText(f), 'utf8') }, '\r\n');
}

/** The same complaint in `d`; also returns the junk parts it carries, in order, as they must come out. */
export function dressedMail(f: PlainFacts, d: Dress): { bytes: Uint8Array; junk: Array<{ filename: string; content: Uint8Array }> } {
  const text = plainText(f);
  // UTF-16 has NUL and lone 0x0a bytes: only base64 carries it intact.
  const encoding = d.charset === 'utf-16le' ? 'base64' : d.encoding;
  let tree: Tree = { type: 'text/plain', charset: d.charset, encoding, body: encodeCharset(text, d.charset)! };
  const junk: Array<{ filename: string; content: Uint8Array }> = [];
  for (const [depth, level] of [...d.levels.entries()].reverse()) {
    const parts: Tree[] = [tree];
    if (level.subtype === 'alternative') {
      // The same words as HTML: the plain part is preferred.
      parts.push({ type: 'text/html', charset: 'utf-8', encoding: 'quoted-printable', body: Buffer.from(`<p>${text.replace(/\n/g, '<br>')}</p>`, 'utf8') });
    }
    const leaves: Leaf[] = level.junk.map((content, i) => ({ type: 'application/octet-stream', encoding: 'base64', filename: `junk-${junk.length + i + 1}.bin`, body: content }));
    parts.push(...leaves);
    // Inner levels come first in the message, so their parts do too.
    junk.push(...leaves.map((l) => ({ filename: l.filename!, content: l.body })));
    // A distinct start per level: no boundary may be a prefix of another (RFC 2046 §5.1.1).
    tree = { subtype: level.subtype, boundary: `L${depth}_${level.boundary}`.slice(0, 70), parts, preamble: level.preamble, epilogue: level.epilogue };
  }
  const base = BASE_HEADERS(f).map(([k, v]): [string, string] => (k === 'Subject' ? [k, encodedWord(v, d.encodedSubject)] : [k, v]));
  const headers = [...base, ...d.extraHeaders];
  const keyed = headers.map((h, i) => ({ h, key: d.order[i % d.order.length] ?? i }));
  keyed.sort((a, b) => a.key - b.key);
  return { bytes: renderMail(keyed.map((k) => k.h), tree, d.eol, d.width), junk };
}

/** Binary that no reader takes for text (leading zeros) and that is no ZIP. */
export const junkBytes: fc.Arbitrary<Uint8Array> = fc
  .uint8Array({ minLength: 0, maxLength: 300 })
  .map((b) => Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...b]));

/** Addresses outside the complaint's story, for headers that must not matter. */
const otherAddress = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `10.${a}.${b}.${c}`);

export const dress: fc.Arbitrary<Dress> = fc.record({
  charset: fc.constantFrom('utf-8', 'iso-8859-1', 'windows-1252', 'utf-16le'),
  encoding: fc.constantFrom('8bit', 'base64', 'quoted-printable'),
  width: fc.integer({ min: 8, max: 76 }),
  eol: fc.constantFrom('\r\n', '\n'),
  levels: fc.array(fc.record({
    subtype: fc.constantFrom('mixed', 'related', 'alternative'),
    boundary,
    junk: fc.array(junkBytes, { maxLength: 2 }),
    preamble: fc.option(safeWords, { nil: undefined }),
    epilogue: fc.option(safeWords, { nil: undefined }),
  }), { maxLength: 4 }),
  extraHeaders: fc.array(fc.oneof(
    otherAddress.map((a): [string, string] => ['Received', `from relay.example.com ([${a}]) by mx.example.org with ESMTP id abc; Tue, 05 Mar 2024 12:59:58 +0100`]),
    safeWords.map((w): [string, string] => ['X-Mailer', w]),
    fc.tuple(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 8 }), safeWords).map(([k, w]): [string, string] => [`X-${k}`, w]),
  ), { maxLength: 6 }),
  order: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
  encodedSubject: fc.constantFrom('plain', 'B', 'Q'),
});
