import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../helpers/paths';

/** The AbuseIO samples as messages (a leading mbox "From " line is not part of the message), with distinct Message-IDs. */
export function abuseioSamples(): Array<{ name: string; raw: Buffer }> {
  const d = join(corpusDir, 'complaints', 'abuseio');
  const seen = new Set<string>();
  return readdirSync(d).filter((n) => n.endsWith('.eml')).sort().flatMap((name) => {
    let raw = readFileSync(join(d, name));
    if (raw.subarray(0, 5).toString('latin1') === 'From ') raw = raw.subarray(raw.indexOf(0x0a) + 1);
    const id = /^message-id:\s*(\S+)/im.exec(raw.toString('latin1'))?.[1] ?? name;
    if (seen.has(id)) return [];
    seen.add(id);
    return [{ name, raw }];
  });
}

/** Every AbuseIO sample as a message, in name order, the ones sharing a Message-ID included. */
export function abuseioRaw(): Buffer[] {
  const d = join(corpusDir, 'complaints', 'abuseio');
  return readdirSync(d).filter((n) => n.endsWith('.eml')).sort().map((name) => {
    const raw = readFileSync(join(d, name));
    return raw.subarray(0, 5).toString('latin1') === 'From ' ? raw.subarray(raw.indexOf(0x0a) + 1) : raw;
  });
}

/** mboxrd: escape "From " lines (and already-quoted ones) with one more ">". */
export function toMbox(msgs: Buffer[]): Buffer {
  const parts = msgs.map((m) => {
    const text = m.toString('latin1').replace(/^(>*From )/gm, '>$1');
    return `From abuse-desk-test Thu Jan  1 00:00:00 2026\n${text}${text.endsWith('\n') ? '' : '\n'}\n`;
  });
  return Buffer.from(parts.join(''), 'latin1');
}

export function writeMaildir(dir: string, msgs: Buffer[]): string {
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  msgs.forEach((m, i) => writeFileSync(join(dir, 'cur', `${1700000000 + i}.M${i}P1.test:2,S`), m));
  return dir;
}

export interface MailOptions {
  from?: string;
  subject?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  body: string;
}

/** A plain-text mail. */
export function mail(o: MailOptions): Buffer {
  const head = [
    `From: ${o.from ?? 'NOC <noc@example.org>'}`,
    'To: abuse@example.com',
    `Subject: ${o.subject ?? 'abuse report'}`,
    `Date: ${o.date ?? 'Thu, 18 Dec 2025 01:00:00 +0000'}`,
    ...(o.messageId ? [`Message-ID: <${o.messageId}>`] : []),
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`] : []),
    ...(o.references ? [`References: ${o.references.map((r) => `<${r}>`).join(' ')}`] : []),
  ];
  return Buffer.from(`${head.join('\n')}\n\n${o.body}`, 'utf8');
}

/** A netfilter log line: our port 80 answering with a SYN-ACK (backscatter or a server's reply). */
export function synAckLine(time: string, dport: number, src = '198.51.100.80'): string {
  return `Dec 18 ${time} fw kernel: IN=eth0 OUT= SRC=${src} DST=192.0.2.66 LEN=44 TOS=0x00 PREC=0x00 TTL=57 ID=0 DF PROTO=TCP SPT=80 DPT=${dport} WINDOW=29200 RES=0x00 ACK SYN URGP=0`;
}
