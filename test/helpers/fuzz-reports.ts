import fc from 'fast-check';
import { renderMail, safeWords, type Eol, type Tree } from './fuzz-mime';

/**
 * Machine-readable abuse reports built from known facts, in any of the
 * orders and spellings their specifications allow: ARF (RFC 5965) and
 * X-ARF 0.2 YAML blocks. The parser must find the same accused address,
 * port and time whatever the order of fields, the extra fields, the line
 * ends or the folding.
 */

const address = fc.oneof(
  fc.integer({ min: 1, max: 254 }).map((n) => `198.51.100.${n}`),
  fc.integer({ min: 1, max: 0xffff }).map((n) => `2001:db8::${n.toString(16)}`),
);
const incident = fc.integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 });
/** Field names no parser knows: "X-" plus letters. */
const extraField = fc.tuple(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 10 }), safeWords)
  .map(([k, v]): [string, string] => [`X-${k}`, v]);
const order = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 16 });

function permute<T>(items: T[], keys: number[]): T[] {
  return items.map((x, i) => ({ x, k: keys[i % keys.length] + i / 1e6 })).sort((a, b) => a.k - b.k).map((e) => e.x);
}

/** RFC 5322 folding: break a long value at its spaces onto continuation lines. */
function fold(name: string, value: string, fold: boolean, eol: Eol): string {
  if (!fold) return `${name}: ${value}`;
  return `${name}:${value.split(' ').map((w) => ` ${w}`).join(eol)}`;
}

export interface ArfCase {
  sourceIp: string;
  feedbackType: 'abuse' | 'fraud' | 'virus' | 'other';
  at: number;
  extra: Array<[string, string]>;
  order: number[];
  folded: boolean;
  eol: Eol;
  trap: string;
}

export const arfCase: fc.Arbitrary<ArfCase> = fc.record({
  sourceIp: address,
  feedbackType: fc.constantFrom('abuse', 'fraud', 'virus', 'other'),
  at: incident,
  extra: fc.array(extraField, { maxLength: 4 }),
  order,
  folded: fc.boolean(),
  eol: fc.constantFrom('\r\n', '\n'),
  // Another address in the quoted original's headers: a relay, not the accused.
  trap: fc.integer({ min: 1, max: 254 }).map((n) => `10.9.8.${n}`),
});

/** An ARF report (multipart/report, RFC 5965 §2) with `c`'s facts; `canonical` keeps the RFC's field order. */
export function arfMail(c: ArfCase, canonical = false): Uint8Array {
  const date = new Date(c.at * 1000).toUTCString().replace('GMT', '+0000');
  const fields: Array<[string, string]> = [
    ['Feedback-Type', c.feedbackType],
    ['User-Agent', 'SomeGenerator/1.0'],
    ['Version', '1'],
    ['Original-Mail-From', '<somespammer@example.net>'],
    ['Arrival-Date', date],
    ['Source-IP', c.sourceIp],
    ['Reported-Domain', 'example.net'],
    ...(canonical ? [] : c.extra),
  ];
  const report = (canonical ? fields : permute(fields, c.order)).map(([k, v]) => fold(k, v, !canonical && c.folded, c.eol)).join(c.eol);
  const tree: Tree = {
    subtype: 'report',
    boundary: 'part1_13d.2e68ed54_boundary',
    params: '; report-type=feedback-report',
    parts: [
      { type: 'text/plain', charset: 'us-ascii', encoding: '8bit', body: Buffer.from('This is an email abuse report for an email message received on the date below.\n') },
      { type: 'message/feedback-report', encoding: '8bit', body: Buffer.from(`${report}${c.eol}`, 'latin1') },
      { type: 'text/rfc822-headers', encoding: '8bit', body: Buffer.from(`Received: from mailserver.example.net (mailserver.example.net [${c.trap}])${c.eol}\tby example.com with ESMTP id M63d4137594e46;${c.eol}From: <somespammer@example.net>${c.eol}Subject: Earn money${c.eol}`, 'latin1') },
    ],
  };
  return renderMail([
    ['From', '<abusedesk@example.com>'],
    ['Date', 'Thu, 8 Mar 2005 17:40:36 +0000'],
    ['Subject', 'FW: Earn money'],
    ['To', '<abuse@example.net>'],
  ], tree, canonical ? '\r\n' : c.eol);
}

export interface XarfCase {
  source: string;
  port: number;
  at: number;
  reportType: 'login-attack' | 'portscan';
  extra: Array<[string, string]>;
  order: number[];
  quote: '' | "'" | '"';
  eol: Eol;
  inBody: boolean;
}

export const xarfCase: fc.Arbitrary<XarfCase> = fc.record({
  source: address,
  port: fc.integer({ min: 1, max: 65535 }),
  at: incident,
  reportType: fc.constantFrom('login-attack', 'portscan'),
  extra: fc.array(extraField, { maxLength: 4 }),
  order,
  quote: fc.constantFrom('', "'", '"'),
  eol: fc.constantFrom('\r\n', '\n'),
  inBody: fc.boolean(),
});

/** An X-ARF 0.2 report as blocklist.de sends it: a YAML block in report.txt (or, pasted, in the body). */
export function xarfMail(c: XarfCase): Uint8Array {
  const date = new Date(c.at * 1000).toUTCString().replace('GMT', '+0000');
  const q = (v: string): string => `${c.quote}${v}${c.quote}`;
  const fields: Array<[string, string]> = [
    ['Reported-From', 'abuse-team@example.com'],
    ['Category', 'abuse'],
    ['Report-Type', c.reportType],
    ['Service', 'ssh'],
    ['Version', '0.2'],
    ['User-Agent', q('Reporter 1.0')],
    ['Date', q(date)],
    ['Source-Type', 'ip-address'],
    ['Source', q(c.source)],
    ['Port', String(c.port)],
    ['Report-ID', q('123456789@example.com')],
    ...c.extra,
  ];
  const block = `---${c.eol}${permute(fields, c.order).map(([k, v]) => `${k}: ${v}`).join(c.eol)}${c.eol}`;
  const human = 'This is an abuse report about an address in your network (see the report).\n';
  const tree: Tree = c.inBody
    ? { type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: Buffer.from(`${human}\n${block}`, 'latin1') }
    : {
      subtype: 'mixed', boundary: 'Abuse-c93f23d9b7aeffd576bb3d3973a8df9d',
      parts: [
        { type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: Buffer.from(human) },
        { type: 'text/plain', charset: 'utf-8', encoding: '7bit', filename: 'report.txt', body: Buffer.from(block, 'latin1') },
      ],
    };
  return renderMail([
    ['From', 'abuse-team@example.com'],
    ['To', 'abuse@example.net'],
    ['Subject', 'abuse report'],
    ['Date', 'Fri, 31 Jan 2014 07:19:02 +0100'],
    ['X-ARF', 'YES'],
  ], tree, c.eol);
}
