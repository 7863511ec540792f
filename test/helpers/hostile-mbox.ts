import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Big mboxes for the intake budget, written in 1 MiB pieces (never whole in
 * memory): one message whose body is a single line of `bytes` bytes, or one
 * of `bytes` in ordinary log lines. Each is followed by a small, normal
 * message that must be imported whole: the reader's bound on a message must
 * not cost the messages after it.
 */
const PIECE = 1 << 20;

function header(id: string, subject: string): string {
  return [
    'From reports@example.org Thu Jan  1 10:00:00 2015',
    'From: reports@example.org',
    'To: abuse@example.net',
    `Subject: ${subject}`,
    'Date: Thu, 1 Jan 2015 10:00:00 +0000',
    `Message-ID: <${id}@example.org>`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Your host 198.51.100.7 has been scanning our network.',
    '',
  ].join('\n');
}

/** The normal message after the big one. */
export const AFTER_BIG = { messageId: 'after-big@example.org', accused: '198.51.100.8' };

function trailer(): string {
  return `\n${header('after-big', 'Port scan').replace('198.51.100.7', AFTER_BIG.accused)}`;
}

function writeBody(path: string, head: string, bytes: number, piece: (n: number) => Buffer): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    for (let done = 0; done < bytes; done += PIECE) writeSync(fd, piece(Math.min(PIECE, bytes - done)));
    writeSync(fd, `\n${trailer()}`);
  } finally {
    closeSync(fd);
  }
}

/** An mbox whose first message has a body line of `bytes` bytes (no newline in it), then a normal message. */
export function writeSingleLineMbox(path: string, bytes: number): void {
  const a = Buffer.alloc(PIECE, 'A');
  writeBody(path, header('single-line', 'One long line'), bytes, (n) => a.subarray(0, n));
}

/** An mbox whose first message is `bytes` of 100-byte firewall log lines, then a normal message. */
export function writeBigMessageMbox(path: string, bytes: number): void {
  const line = 'Jan  1 10:00:01 fw kernel: DROP IN=eth0 SRC=198.51.100.7 DST=203.0.113.9 PROTO=TCP SPT=4444 DPT=445\n';
  const lines = Buffer.from(line.repeat(Math.ceil(PIECE / line.length)));
  writeBody(path, header('big-message', 'A big message'), bytes, (n) => lines.subarray(0, n));
}
