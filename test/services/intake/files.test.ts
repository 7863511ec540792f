import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEmlFolder, readMaildir, readMessages } from '../../../services/intake/files';
import { readMbox } from '../../../services/intake/mbox';
import type { IntakeMessage } from '../../../services/intake/message';
import { Threader, threadKey } from '../../../analysis/triage/normalise';
import { corpusDir, fixturesDir } from '../../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'intake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The AbuseIO samples as messages: a leading mbox "From " line (some have one) is not part of the message. */
function samples(): Array<{ name: string; raw: Buffer }> {
  const d = join(corpusDir, 'complaints', 'abuseio');
  return readdirSync(d).filter((n) => n.endsWith('.eml')).sort().map((name) => {
    let raw = readFileSync(join(d, name));
    if (raw.subarray(0, 5).toString('latin1') === 'From ') raw = raw.subarray(raw.indexOf(0x0a) + 1);
    return { name, raw };
  });
}

/** mboxrd: escape "From " lines (and already-quoted ones) with one more ">". */
function toMbox(msgs: Buffer[]): Buffer {
  const parts = msgs.map((m) => {
    const text = m.toString('latin1').replace(/^(>*From )/gm, '>$1');
    return `From abuse-desk-test Thu Jan  1 00:00:00 2026\n${text}${text.endsWith('\n') ? '' : '\n'}\n`;
  });
  return Buffer.from(parts.join(''), 'latin1');
}

async function all(it: AsyncIterable<IntakeMessage>): Promise<IntakeMessage[]> {
  const out: IntakeMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

/** A message as compared across formats: mbox adds the final newline some .eml files lack. */
const body = (raw: Uint8Array): string => Buffer.from(raw).toString('latin1').replace(/\n$/, '');

describe('mbox and Maildir intake', () => {
  const msgs = samples();

  it('mbox and Maildir exports of the same messages yield the same messages', async () => {
    const mbox = join(dir, 'export.mbox');
    writeFileSync(mbox, toMbox(msgs.map((m) => m.raw)));
    const maildir = join(dir, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    msgs.forEach((m, i) => writeFileSync(join(maildir, i % 3 ? 'cur' : 'new', `${String(1700000000 + i)}.M${i}P1.test${i % 3 ? ':2,S' : ''}`), m.raw));

    const fromMbox = await all(readMbox(mbox));
    const fromMaildir = await all(readMaildir(maildir));
    expect(fromMbox).toHaveLength(msgs.length);
    expect(fromMaildir).toHaveLength(msgs.length);
    const key = (m: IntakeMessage) => `${m.messageId ?? ''}\u0000${body(m.raw)}`;
    expect(fromMbox.map(key).sort()).toEqual(fromMaildir.map(key).sort());
    expect(fromMbox.map((m) => body(m.raw))).toEqual(msgs.map((m) => body(m.raw)));
    expect(fromMbox[3].source).toEqual({ kind: 'mbox', path: mbox, index: 3 });
    expect(fromMaildir.filter((m) => m.messageId).length).toBeGreaterThan(60);
    // readMessages recognises both.
    expect((await all(readMessages([mbox, maildir]))).length).toBe(2 * msgs.length);
  });

  it('un-escapes ">From " lines and keeps ">>From " one level quoted (mboxrd)', async () => {
    const raw = Buffer.from('From: a@example.org\nMessage-ID: <x@example.org>\n\nFrom here on\n>From quoted\nend\n');
    const mbox = join(dir, 'escaped.mbox');
    writeFileSync(mbox, toMbox([raw, raw]));
    const got = await all(readMbox(mbox));
    expect(got.map((m) => Buffer.from(m.raw).toString())).toEqual([raw.toString(), raw.toString()]);
  });

  it('a thread of three messages gets one thread key', async () => {
    const got = await all(readEmlFolder(join(fixturesDir, 'mail')));
    const thread = got.filter((m) => /^thread-/.test((m.source as { filename: string }).filename));
    expect(thread).toHaveLength(3);
    expect(thread[2].references).toEqual(['root-1@example.org', 'reply-2@example.net']);
    expect(new Set(thread.map(threadKey))).toEqual(new Set(['root-1@example.org']));
    const t = new Threader();
    expect(new Set(thread.map((m) => t.add({ messageId: m.messageId, inReplyTo: m.inReplyTo })))).toEqual(new Set(['root-1@example.org']));
  });

  it('a truncated message is yielded with a warning, never dropped', async () => {
    const got = await all(readMessages([join(fixturesDir, 'mail', 'truncated.eml'), join(fixturesDir, 'mail', 'thread-1.eml')]));
    expect(got).toHaveLength(2);
    expect(got[0].warnings.join(' ')).toMatch(/no blank line after the header/);
    expect(got[0].raw.length).toBeGreaterThan(50);
    expect(got[1].warnings).toEqual([]);
    // In an mbox, text before the first "From " line and an empty file are kept too.
    const junk = join(dir, 'junk.mbox');
    writeFileSync(junk, Buffer.concat([Buffer.from('garbage line\n\n'), toMbox([readFileSync(join(fixturesDir, 'mail', 'thread-1.eml'))])]));
    const fromJunk = await all(readMbox(junk));
    expect(fromJunk).toHaveLength(2);
    expect(fromJunk[0].warnings.join(' ')).toMatch(/before the first "From "/);
    expect(fromJunk[1].messageId).toBe('root-1@example.org');
  });

  it('a message file over the bound: its first bytes read, the file itself named as the whole (hashed while streamed), in a folder or a Maildir', async () => {
    const big = Buffer.concat([readFileSync(join(fixturesDir, 'mail', 'thread-1.eml')), Buffer.alloc(300_000, 'L')]);
    const emls = join(dir, 'big-emls');
    mkdirSync(emls);
    writeFileSync(join(emls, 'big.eml'), big);
    const md = join(dir, 'big-maildir');
    mkdirSync(join(md, 'cur'), { recursive: true });
    writeFileSync(join(md, 'cur', '1.M1P1.test:2,S'), big);
    for (const [m] of [await all(readEmlFolder(emls, 4096)), await all(readMaildir(md, 4096))]) {
      expect(Buffer.from(m.raw).equals(big.subarray(0, 4096))).toBe(true);
      expect(m.messageId).toBe('root-1@example.org');
      expect(m.whole).toMatchObject({ size: big.length, sha256: createHash('sha256').update(big).digest('hex'), spooled: false });
      expect(readFileSync(m.whole!.path).equals(big)).toBe(true);
      expect(m.warnings).toEqual([`message file ${m.whole!.path} is larger than 4096 bytes: its first 4096 bytes were read, the whole message (${big.length} bytes) is kept as received`]);
    }
    // Within the bound, read whole as before.
    const [small] = await all(readMessages([join(emls, 'big.eml')], { maxMessageBytes: big.length }));
    expect(small.whole).toBeUndefined();
    expect(Buffer.from(small.raw).equals(big)).toBe(true);
  });
});

