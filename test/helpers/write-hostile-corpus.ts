/**
 * Writes the hostile-input corpus to a folder, for looking at by hand or
 * feeding to another build: `npx tsx test/helpers/write-hostile-corpus.ts DIR`.
 * The slow tests (test/cli/hostile-*.slow.test.ts) build the same files
 * themselves in a temporary folder. About 470 MB in all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigBase64Mail, escapeMail, manyAttachmentsMail, nestedZipMail, REPORTED_ZIP_HEAVY, reporterListMail, zipHeavyMail } from './hostile-mail';
import { writeBigMessageMbox, writeSingleLineMbox } from './hostile-mbox';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npx tsx test/helpers/write-hostile-corpus.ts DIR\n');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const mails: Array<[string, () => Uint8Array]> = [
  ['zip-heavy.eml', () => zipHeavyMail(REPORTED_ZIP_HEAVY)],
  ['nested-zips.eml', () => nestedZipMail(3)],
  ['10000-attachments.eml', () => manyAttachmentsMail(10_000)],
  ['big-base64.eml', () => bigBase64Mail(37.5 * 1024 * 1024)],
  ['escapes.eml', escapeMail],
  ['reporter-list.eml', reporterListMail],
];
for (const [name, make] of mails) writeFileSync(join(dir, name), make());
writeSingleLineMbox(join(dir, 'single-line-200MB.mbox'), 200_000_000);
writeBigMessageMbox(join(dir, 'big-message-200MB.mbox'), 200_000_000);
process.stdout.write(`hostile corpus written to ${dir}\n`);
