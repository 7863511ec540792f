/**
 * The reply draft as a file: plain text, or an unsent RFC 5322 message that
 * mail clients open as a draft (X-Unsent). Pure, shared by main (save
 * dialog) and the browser client (download).
 */

export interface DraftFileInput {
  format: 'eml' | 'txt';
  subject: string;
  body: string;
  to?: string;
}

export interface DraftFile {
  fileName: string;
  mime: string;
  content: string;
}

/** RFC 2047 encoded-word for a header value with non-ASCII characters. */
function encodeHeader(value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  const bytes = new TextEncoder().encode(clean);
  // Encoded words stay under 75 characters: 45 bytes -> 60 base64 characters.
  const words: string[] = [];
  for (let i = 0; i < bytes.length;) {
    let end = Math.min(bytes.length, i + 45);
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--; // never split a UTF-8 sequence
    let bin = '';
    for (const b of bytes.subarray(i, end)) bin += String.fromCharCode(b);
    words.push(`=?UTF-8?B?${btoa(bin)}?=`);
    i = end;
  }
  return words.join('\r\n ');
}

/** A file name from the subject: letters, digits, dashes; never empty. */
export function draftFileName(subject: string, format: 'eml' | 'txt'): string {
  const stem = subject.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60) || 'reply';
  return `${stem}.${format}`;
}

export function renderDraftFile(d: DraftFileInput): DraftFile {
  const fileName = draftFileName(d.subject, d.format);
  if (d.format === 'txt') {
    return { fileName, mime: 'text/plain;charset=utf-8', content: `Subject: ${d.subject}\n\n${d.body.replace(/\r\n/g, '\n')}` };
  }
  const headers = [
    ...(d.to ? [`To: ${encodeHeader(d.to)}`] : []),
    `Subject: ${encodeHeader(d.subject)}`,
    'X-Unsent: 1',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  // 8bit bodies keep lines under 998 octets (RFC 5322 2.1.1) and use CRLF.
  const body = d.body.replace(/\r\n/g, '\n').split('\n').map((line) => line.replace(/^\./, '..')).join('\r\n');
  return { fileName, mime: 'message/rfc822', content: `${headers.join('\r\n')}\r\n\r\n${body}\r\n` };
}
