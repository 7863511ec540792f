/**
 * A complaint written to attack the operator's terminal: its Subject
 * retitles the terminal (OSC), clears it (CSI 2J), prints "FAKE: all clear"
 * in red and reverses text with a bidi override; an attachment name and a
 * bundle's tag carry the same. Nothing of it may reach standard output as
 * control or bidi characters, from `analyze` (Markdown and the draft's
 * subject), `cases list`, `cases show`, `triage`, `import` and `queue`,
 * while the stored original keeps every byte.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listTar, readTarEntry, writeTar } from '../../store/bundle';
import { cli } from './cli-runner';

/** C0 (but \n and \t), DEL, C1, bidi embeddings/overrides/isolates. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SUBJECT = 'Scan from 198.51.100.7 \u001b]0;pwned\u0007\u001b[2J\u001b[H\u001b[31mFAKE: all clear\u001b[0m \u009b2J \u202egnp.exe';
/** RFC 2231 filename*: how a sender gives any bytes as a name. */
const NAME = 'evil\u001b[2J\u202etxt.exe';
const TAG = 'urgent\u001b]0;owned\u0007\u202e';

function hostileMail(): Buffer {
  const name2231 = encodeURIComponent(NAME);
  const lines = [
    'From: Reporter <reports@example.org>',
    'To: abuse@example.net',
    `Subject: ${SUBJECT}`,
    'Date: Thu, 1 Jan 2015 10:00:00 +0000',
    'Message-ID: <hostile-1@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Port scan from 198.51.100.7 against 192.0.2.10 at 2015-01-01 09:58:00 UTC.',
    '--b1',
    'Content-Type: application/zip',
    `Content-Disposition: attachment; filename*=utf-8''${name2231}`,
    'Content-Transfer-Encoding: base64',
    '',
    // A damaged zip: its warning names the attachment.
    Buffer.from('PK\u0003\u0004not really a zip, but long enough to look like one').toString('base64'),
    '--b1--',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-hygiene-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const eml = join(dir, 'hostile.eml');
const raw = hostileMail();
writeFileSync(eml, raw);

async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  expect(r.stderr).not.toMatch(UNSAFE);
  return r.stdout;
}

describe('hostile strings from a complaint', () => {
  it('analyze prints Markdown and a draft subject without control or bidi characters, keeping the words', async () => {
    const md = await ok(['analyze', '--complaint', eml]);
    expect(md).not.toMatch(UNSAFE);
    expect(md).toMatch(/^Subject: Re: Scan from 198\.51\.100\.7 FAKE: all clear +gnp\.exe$/m);
    // The attachment's name, in the warning about it.
    expect(md).toMatch(/evil.*txt\.exe: zip: no end of central directory record/);
  });

  it('analyze --json escapes what it prints and keeps the parsed subject whole; the draft subject is clean', async () => {
    const text = await ok(['analyze', '--json', '--complaint', eml]);
    expect(text).not.toMatch(UNSAFE);
    const r = JSON.parse(text) as { complaint: { subject: string; attachments: string[] }; draft: { subject: string } };
    expect(r.complaint.subject).toBe(SUBJECT);
    expect(r.draft.subject).toBe('Re: Scan from 198.51.100.7 FAKE: all clear  gnp.exe');
    // An attachment name is a file name: no controls, bidi or separators.
    expect(r.complaint.attachments).toEqual(['eviltxt.exe']);
  });

  it('triage prints its first look without them', async () => {
    expect(await ok(['triage', '--complaint', eml])).not.toMatch(UNSAFE);
  });

  it('cases list, show, and a bundle whose tag carries them; the stored original keeps every byte', async () => {
    const a = join(dir, 'store-a');
    await ok(['analyze', '--complaint', eml, '--save', '--data-dir', a]);
    const list = await ok(['cases', 'list', '--data-dir', a]);
    expect(list).not.toMatch(UNSAFE);
    expect(list).toMatch(/Scan from 198\.51\.100\.7 FAKE: all clear/);
    const show = await ok(['cases', 'show', '1', '--data-dir', a]);
    expect(show).not.toMatch(UNSAFE);
    expect(show).toMatch(/^# Case 1: Scan from 198\.51\.100\.7 FAKE: all clear/m);
    expect(await ok(['cases', 'show', '1', '--json', '--data-dir', a])).not.toMatch(UNSAFE);

    // A bundle from elsewhere, with a tag written to attack the terminal.
    const bundle = join(dir, 'case-1.tar');
    await ok(['cases', 'export', '1', '--out', bundle, '--data-dir', a]);
    const entries = await listTar(bundle);
    const contents = await Promise.all(entries.map(async (e) => ({ name: e.name, bytes: new Uint8Array(await readTarEntry(bundle, e)) })));
    const manifest = contents.find((e) => e.name === 'manifest.json')!;
    const m = JSON.parse(Buffer.from(manifest.bytes).toString('utf8')) as { case: { tags: string[]; complaintEntry: string } };
    m.case.tags = [TAG];
    manifest.bytes = Buffer.from(JSON.stringify(m), 'utf8');
    // The stored original is the mail as received, escape sequences and all.
    expect(Buffer.from(contents.find((e) => e.name === m.case.complaintEntry)!.bytes).equals(raw)).toBe(true);
    const forged = join(dir, 'forged.tar');
    await writeTar(forged, contents.map((e) => ({ name: e.name, mtimeMs: Date.UTC(2015, 0, 1), source: { bytes: e.bytes } })));

    // Such a tag is refused by the app's own tag schema (store/bundle.ts), and the refusal does not echo it.
    const b = join(dir, 'store-b');
    const refused = await cli(['cases', 'import', forged, '--data-dir', b]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/case\.tags\.0 control characters in a tag/);
    expect(refused.stderr + refused.stdout).not.toMatch(UNSAFE);
    expect(await ok(['cases', 'list', '--json', '--data-dir', b])).not.toMatch(UNSAFE);
  });

  it('import and queue print the imported complaint without them', async () => {
    const c = join(dir, 'store-c');
    const imported = await ok(['import', eml, '--data-dir', c]);
    expect(imported).not.toMatch(UNSAFE);
    const queue = await ok(['queue', '--data-dir', c]);
    expect(queue).not.toMatch(UNSAFE);
    expect(queue).toMatch(/198\.51\.100\.7/);
    expect(await ok(['queue', '--json', '--data-dir', c])).not.toMatch(UNSAFE);
    // Imported mail keeps its attachments as evidence, under a name fit for a file.
    const show = await ok(['cases', 'show', '1', '--data-dir', c]);
    expect(show).not.toMatch(UNSAFE);
    expect(show).toMatch(/^- eviltxt\.exe: \d+ bytes/m);
    expect(readFileSync(eml).equals(raw)).toBe(true);
  });
});
