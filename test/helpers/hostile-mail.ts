import { renderMail, type Leaf, type Tree } from './fuzz-mime';
import { writeZip } from './fuzz-zip';

/**
 * Mail built to hurt the complaint reader: many small zip attachments whose
 * entries inflate about 1000:1 (a "zip bomb-lite": every archive within the
 * per-archive caps, the message as a whole far past any sane memory use).
 */
export interface ZipHeavyOptions {
  /** Zip attachments in the message. */
  zips: number;
  /** Entries in each zip. */
  entries: number;
  /** Inflated bytes of each entry. */
  entryBytes: number;
  /** Attachment names: NAME-0.zip, NAME-1.zip, ... (default "report"). */
  zipName?: string;
  /** Subject header (raw text; may hold control characters). */
  subject?: string;
}

/**
 * A CSV line naming an address, then one short row repeated: deflate packs
 * a 4-byte period near its 1032:1 limit (a 46-byte one only about 340:1).
 */
function compressible(bytes: number, seed: number): Uint8Array {
  const head = Buffer.from(`2015-01-01 10:00:0${seed % 10},198.51.100.${seed % 250},tcp,445,scan\n`);
  const row = Buffer.from('a,b\n');
  const out = Buffer.alloc(bytes);
  head.copy(out, 0, 0, Math.min(head.length, bytes));
  for (let p = head.length; p < bytes; p += row.length) row.copy(out, p, 0, Math.min(row.length, bytes - p));
  return out;
}

export function zipHeavyMail(o: ZipHeavyOptions): Uint8Array {
  const parts: Leaf[] = [
    { type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: Buffer.from('Scanning from 198.51.100.7 against our hosts, reports attached.\n') },
  ];
  // One archive, attached under many names: deflating gigabytes once per test would be the slow part.
  const zip = writeZip(Array.from({ length: o.entries }, (_, e) => ({ name: `report-${e}.csv`, data: compressible(o.entryBytes, e), method: 8 as const })));
  for (let z = 0; z < o.zips; z++) parts.push({ type: 'application/zip', encoding: 'base64', filename: `${o.zipName ?? 'report'}-${z}.zip`, body: zip });
  const tree: Tree = { subtype: 'mixed', boundary: 'hostile-boundary-1', parts };
  return renderMail([
    ['From', 'reports@example.org'],
    ['To', 'abuse@example.net'],
    ['Subject', o.subject ?? 'Scan report'],
    ['Date', 'Thu, 1 Jan 2015 10:00:00 +0000'],
  ], tree, '\r\n');
}

/** The reported case: 60 zips of 20 entries, 4 MiB each inflated (a 7 MB mail, 4.8 GiB inflated). */
export const REPORTED_ZIP_HEAVY: ZipHeavyOptions = { zips: 60, entries: 20, entryBytes: 4 * 1024 * 1024 };

// ------------------------------------------------------------------ the rest of the hostile corpus (issue 12)

const HEADERS = (subject: string): Array<[string, string]> => [
  ['From', 'reports@example.org'],
  ['To', 'abuse@example.net'],
  ['Subject', subject],
  ['Date', 'Thu, 1 Jan 2015 10:00:00 +0000'],
  ['Message-ID', `<${subject.replace(/[^a-z0-9]/gi, '-')}@example.org>`],
];
const BODY: Leaf = { type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: Buffer.from('Scanning from 198.51.100.7 against our hosts, reports attached.\n') };
const CSV = Buffer.from('2015-01-01 10:00:01,198.51.100.7,tcp,445,scan\n');

/**
 * A zip holding a zip holding a zip ... `depth` archives deep, a CSV at the
 * bottom. Only the outer one may be opened (zipDepth 1); the next is named
 * in a warning and never inflated, so nothing deeper costs anything.
 */
export function nestedZipMail(depth: number): Uint8Array {
  let inner: Uint8Array = writeZip([{ name: 'report.csv', data: CSV, method: 8 }]);
  for (let d = depth - 1; d >= 1; d--) inner = writeZip([{ name: `level-${d + 1}.zip`, data: inner, method: 8 }]);
  const tree: Tree = { subtype: 'mixed', boundary: 'hostile-nested', parts: [BODY, { type: 'application/zip', encoding: 'base64', filename: 'level-1.zip', body: inner }] };
  return renderMail(HEADERS('Nested zips'), tree, '\r\n');
}

/** One text/plain part followed by `count` small CSV attachments (the per-message attachment limit is 100). */
export function manyAttachmentsMail(count: number): Uint8Array {
  const parts: Leaf[] = [BODY];
  for (let i = 0; i < count; i++) parts.push({ type: 'text/csv', encoding: 'base64', filename: `log-${i}.csv`, body: CSV });
  return renderMail(HEADERS(`${count} attachments`), { subtype: 'mixed', boundary: 'hostile-many', parts }, '\r\n');
}

/**
 * A text attachment of `bytes` decoded bytes (log lines naming the accused),
 * sent base64 in 76-column lines: about 4/3 of that in the mail. Only the
 * per-attachment text limit (4 MiB) of it is read for facts.
 */
export function bigBase64Mail(bytes: number): Uint8Array {
  const line = Buffer.from('Jan  1 10:00:01 fw kernel: DROP IN=eth0 SRC=198.51.100.7 DST=203.0.113.9 PROTO=TCP SPT=4444 DPT=445\n');
  const body = Buffer.alloc(bytes);
  for (let p = 0; p < bytes; p += line.length) line.copy(body, p, 0, Math.min(line.length, bytes - p));
  const tree: Tree = { subtype: 'mixed', boundary: 'hostile-big', parts: [BODY, { type: 'text/plain', charset: 'utf-8', encoding: 'base64', filename: 'firewall.log', body }] };
  return renderMail(HEADERS('Big log attached'), tree, '\r\n');
}

/**
 * What a hostile Subject and attachment name carry: an OSC that retitles
 * the terminal, a CSI that clears it, red "FAKE: all clear", CR and LF (a
 * forged next line), an 8-bit CSI, and a right-to-left override that makes
 * "gpj.exe" read as "exe.jpg".
 */
export const ESCAPES = '\u001b]0;owned\u0007\u001b[2J\u001b[31mFAKE: all clear\u001b[0m\r\nX-Injected: yes\u009b31m \u202egpj.exe\u2066';

/** Characters that must never reach the terminal raw from a complaint. */
export const RAW_TERMINAL_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const b64Word = (s: string): string => `=?utf-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;

/**
 * A portscan complaint whose Subject (an RFC 2047 encoded word, the only way
 * to get ESC, CR and LF into one) and attachment name (RFC 2231 filename*)
 * carry ESCAPES; the attachment is a log the analysis reads as evidence.
 */
export function escapeMail(): Uint8Array {
  const name = `report${ESCAPES}.log`;
  const pct = [...Buffer.from(name, 'utf8')].map((b) => (/[A-Za-z0-9._-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  const log = Buffer.from('Jan  1 10:00:01 fw kernel: DROP IN=eth0 SRC=198.51.100.7 DST=203.0.113.9 PROTO=TCP SPT=4444 DPT=445\n').toString('base64');
  const text = [
    'From: reports@example.org',
    'To: abuse@example.net',
    `Subject: ${b64Word(`Port scan ${ESCAPES}`)}`,
    'Date: Thu, 1 Jan 2015 10:00:00 +0000',
    'Message-ID: <escapes@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="hostile-esc"',
    '',
    '--hostile-esc',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Your host 198.51.100.7 has been scanning our host 203.0.113.9 on port 445.',
    '--hostile-esc',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename*=utf-8''${pct}`,
    '',
    log,
    '--hostile-esc--',
    '',
  ];
  return Buffer.from(text.join('\r\n'), 'latin1');
}

/** The recipient list an X-ARF report may put where one address belongs. */
export const REPORTER_LIST = 'a@x.example, b@evil.example';

/** An X-ARF 0.2 complaint (YAML in report.txt, as blocklist.de sends it) whose Reported-From is REPORTER_LIST. */
export function reporterListMail(): Uint8Array {
  const block = [
    '---',
    `Reported-From: ${REPORTER_LIST}`,
    'Category: abuse',
    'Report-Type: login-attack',
    'Service: ssh',
    'Version: 0.2',
    'Date: Thu, 01 Jan 2015 10:00:00 +0000',
    'Source-Type: ip-address',
    'Source: 198.51.100.7',
    'Port: 22',
    '',
  ].join('\n');
  const tree: Tree = {
    subtype: 'mixed', boundary: 'hostile-xarf',
    parts: [
      { type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: Buffer.from('This is an abuse report about an address in your network (see the report).\n') },
      { type: 'text/plain', charset: 'utf-8', encoding: '7bit', filename: 'report.txt', body: Buffer.from(block) },
    ],
  };
  // No From: header, as when a report is pasted or forwarded without one: the report names the reporter.
  return renderMail([
    ['To', 'abuse@example.net'],
    ['Subject', 'abuse report about 198.51.100.7'],
    ['Date', 'Thu, 1 Jan 2015 10:00:01 +0000'],
    ['X-ARF', 'YES'],
  ], tree, '\n');
}
