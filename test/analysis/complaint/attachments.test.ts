import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { limitsWith } from '../../../analysis/limits';
import { renderMail, type Leaf } from '../../helpers/fuzz-mime';
import { writeZip } from '../../helpers/fuzz-zip';
import { manyAttachmentsMail, zipHeavyMail } from '../../helpers/hostile-mail';

const MiB = 1024 * 1024;
const enc = new TextEncoder();

function mail(parts: Leaf[]): Uint8Array {
  return renderMail([
    ['From', 'reports@example.org'], ['To', 'abuse@example.net'], ['Subject', 'Scan report'], ['Date', 'Thu, 1 Jan 2015 10:00:00 +0000'],
  ], { subtype: 'mixed', boundary: 'b-1', parts: [{ type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: enc.encode('Scanning from 198.51.100.7, reports attached.\n') }, ...parts] }, '\r\n');
}

/** A Shadowserver-style CSV of `rows` rows, each naming 198.51.100.50. */
function csv(rows: number): Uint8Array {
  const row = '"2015-01-01 09:00:00","198.51.100.50","445"\n';
  return enc.encode(`"timestamp","ip","port"\n${row.repeat(rows)}`);
}

describe('a message of many zips (the zip bomb-lite)', () => {
  it('reads what fits in the message budget, names where it stopped and the limit, and goes on', async () => {
    // 10 zips of 5 entries of 1 MiB each (50 MiB inflated), against a 3.5 MiB message budget.
    const bytes = zipHeavyMail({ zips: 10, entries: 5, entryBytes: MiB });
    const c = await parseComplaint(bytes, { limits: limitsWith({ message: { decodedBytes: 3.5 * MiB, quotedChars: 64 * 1024 } }) });
    expect(c.accused).toEqual(['198.51.100.7']);
    expect(c.warnings).toContain(`report-0.zip: zip: report-3.csv: read only its first ${MiB / 2} bytes (stopped at byte offset ${MiB / 2}): the message's decoded-bytes limit (3.5 MiB) was reached`);
    expect(c.warnings).toContain("report-0.zip: zip: stopped before report-4.csv: the message's decoded-bytes limit (3.5 MiB) is spent");
    expect(c.warnings).toContain('9 attachment(s) not read because the limit on decoded bytes (3.5 MiB per message) was reached: report-1.zip, report-2.zip, report-3.zip, report-4.zip, report-5.zip and 4 more');
    // The zips themselves are still handed on as evidence.
    expect(c.attachments).toHaveLength(10);
  });

  it('keeps the rows of a CSV read before the budget ran out', async () => {
    const rows = 40_000;
    const data = csv(rows);
    const zip = writeZip([{ name: 'scan.csv', data, method: 8 }]);
    const c = await parseComplaint(mail([{ type: 'application/zip', encoding: 'base64', filename: 'scan.csv.zip', body: zip }]), {
      limits: limitsWith({ message: { decodedBytes: Math.floor(data.length / 2) } }),
    });
    expect(c.accused).toContain('198.51.100.50');
    const read = Number(c.reportFields?.rows);
    expect(read).toBeGreaterThan(rows / 3);
    expect(read).toBeLessThan(rows / 2 + 1);
    expect(c.warnings.some((w) => w.startsWith('scan.csv.zip: zip: scan.csv: read only its first') && w.includes('decoded-bytes limit'))).toBe(true);
  });

  it('does not open a zip inside a zip, and says so', async () => {
    const inner = writeZip([{ name: 'inner.csv', data: csv(3), method: 8 }]);
    const outer = writeZip([{ name: 'inner.zip', data: inner, method: 0 }, { name: 'top.csv', data: csv(2), method: 8 }]);
    const c = await parseComplaint(mail([{ type: 'application/zip', encoding: 'base64', filename: 'outer.zip', body: outer }]));
    expect(c.warnings).toContain('attachment outer.zip: inner.zip is a zip inside a zip: not opened (zip nesting limit 1)');
    expect(c.reportFields?.rows).toBe('2');
  });

  it('reads at most the attachment limit, warns, and hands on no more as evidence', async () => {
    const parts: Leaf[] = Array.from({ length: 6 }, (_, i) => ({ type: 'text/plain', charset: 'utf-8', encoding: '8bit', filename: `note-${i}.txt`, body: enc.encode(`note ${i}\n`) }));
    const c = await parseComplaint(mail(parts), { limits: limitsWith({ message: { attachments: 4 } }) });
    expect(c.warnings).toContain("stopped at attachment note-4.txt: the message's attachment limit (4) is reached");
    expect(c.warnings).toContain('2 attachment(s) not read because the limit on attachments (4 per message) was reached: note-4.txt, note-5.txt');
    expect(c.warnings).toContain('the complaint has 6 attachments: only the first 4 are read as evidence (attachment limit 4)');
    expect(c.attachments.map((a) => a.filename)).toEqual(['note-0.txt', 'note-1.txt', 'note-2.txt', 'note-3.txt']);
  });

  it('reads a mail of more parts than mailparser takes (1000) up to its 900th part, keeping its header facts', async () => {
    // mailparser refused the whole message: the subject, the sender and the date were lost with it.
    const c = await parseComplaint(manyAttachmentsMail(1500));
    expect(c.subject).toBe('1500 attachments');
    expect(c.reporter.address).toBe('reports@example.org');
    expect(c.dateMs).toBe(Date.UTC(2015, 0, 1, 10));
    expect(c.accused).toEqual(['198.51.100.7']);
    expect(c.warnings.find((w) => w.startsWith('the mail has more MIME parts'))).toMatch(/^the mail has more MIME parts than the mail parser reads \(1000\): only its first 900 parts \(up to byte offset \d+\) were read$/);
    expect(c.warnings).toContain("stopped at attachment log-100.csv: the message's attachment limit (100) is reached");
    expect(c.attachments).toHaveLength(100);
  });

  it('cuts a text attachment at the decoded-bytes budget and the quoted text at its own', async () => {
    const big = enc.encode('x'.repeat(3000));
    const c = await parseComplaint(mail([{ type: 'text/plain', charset: 'utf-8', encoding: 'base64', filename: 'big.txt', body: big }]), {
      limits: limitsWith({ message: { decodedBytes: 1000 } }),
    });
    expect(c.warnings).toContain("attachment big.txt is 3000 bytes: only its first 1000 were read (stopped at byte offset 1000): the message's decoded-bytes limit (1000 bytes) is spent");
    const q = await parseComplaint(mail([{ type: 'text/plain', charset: 'utf-8', encoding: 'base64', filename: 'big.txt', body: big }]), {
      limits: limitsWith({ message: { quotedChars: 1000 } }),
    });
    // The body (46 characters) is searched first; the attachment gets the rest.
    expect(q.warnings).toContain("attachment big.txt: only its first 954 characters were searched for quoted log lines: the message's quoted-text limit (1000 characters) is reached");
  });
});
