import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyFacts } from '../../../../analysis/complaint/facts';
import { parseMail } from '../../../../analysis/complaint/mail';
import { evidenceAttachments, readAttachments } from '../../../../analysis/complaint/parse/attachments';
import { DEFAULT_LIMITS, MessageBudget } from '../../../../analysis/limits';
import { corpusDir } from '../../../helpers/paths';

const zipped = join(corpusDir, 'complaints', 'abuseio', 'shadowserver__2015-01-01-scan_redis-sample-asn.csv.zip.eml');

describe('complaint attachments', () => {
  it('a Shadowserver mail\'s zipped CSV is read into a report and handed on as evidence', async () => {
    const mail = await parseMail(new Uint8Array(readFileSync(zipped)));
    const g = await readAttachments(mail, new MessageBudget(DEFAULT_LIMITS.message));
    expect(g.reports.map((r) => r.format)).toContain('csv');
    const { attachments, warnings } = evidenceAttachments(mail, g.reports, DEFAULT_LIMITS.message);
    expect(attachments.map((a) => a.filename)).toEqual(mail.attachments.map((a) => a.filename));
    expect(warnings).toEqual([]);
    expect(await readAttachments(null, new MessageBudget(DEFAULT_LIMITS.message))).toMatchObject({ reports: [], quoted: [] });
  });

  it('beyond the attachment limit the rest are dropped, and the warning names the limit', () => {
    const one = (n: number) => ({ filename: `f${n}.pcap`, contentType: 'application/octet-stream', content: new Uint8Array([n]) });
    const report = { ...emptyFacts('xarf-json'), attachments: [one(2), one(3)] };
    const r = evidenceAttachments({ attachments: [one(1)] } as never, [report], { ...DEFAULT_LIMITS.message, attachments: 2 });
    expect(r.attachments.map((a) => a.filename)).toEqual(['f1.pcap', 'f2.pcap']);
    expect(r.warnings).toEqual(['the complaint has 3 attachments: only the first 2 are read as evidence (attachment limit 2)']);
  });
});
