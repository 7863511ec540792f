import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyGathered } from '../../../../analysis/complaint/attachments';
import { emptyFacts } from '../../../../analysis/complaint/facts';
import { parseMail } from '../../../../analysis/complaint/mail';
import { complaintFormat, reportFields, structuredReports } from '../../../../analysis/complaint/parse/structured';
import { corpusDir } from '../../../helpers/paths';

const read = (...p: string[]): string => readFileSync(join(corpusDir, 'complaints', ...p), 'utf8');

describe('structured reports of the body', () => {
  it('pasted Shadowserver CSV is a structured body: format csv', () => {
    const r = structuredReports(read('shadowserver-csv', 'shadowserver__2015-01-01-scan_redis-sample-asn.csv'), 'x.csv', null, emptyGathered());
    expect(r.structuredBody).toBe(true);
    expect(r.reports.map((x) => x.format)).toEqual(['csv']);
    expect(complaintFormat(r.reports, null)).toBe('csv');
  });

  it('pasted X-ARF JSON is structured; its fields are kept, the first report\'s value winning', () => {
    const r = structuredReports(read('xarf', 'abusix-xarf__v3_portscan_sample.json'), 'x.json', null, emptyGathered());
    expect(r.structuredBody).toBe(true);
    expect(complaintFormat(r.reports, null)).toBe('xarf-json');
    const a = { ...emptyFacts('csv'), fields: { source: 'a', port: '1' } };
    const b = { ...emptyFacts('csv'), fields: { source: 'b', extra: '2' } };
    expect(reportFields([a, b])).toEqual({ source: 'a', port: '1', extra: '2' });
  });

  it('a mail\'s prose body is not read as CSV; with no report it stays eml, pasted prose stays text', async () => {
    const mail = await parseMail(new Uint8Array(readFileSync(join(corpusDir, 'complaints', 'abuseio', 'spamexperts__1.eml'))));
    const r = structuredReports(mail.text, 'm.eml', mail, emptyGathered());
    expect(r.structuredBody).toBe(false);
    expect(complaintFormat([], mail)).toBe('eml');
    expect(complaintFormat([], null)).toBe('text');
  });

  it('ARF outranks X-ARF only in a multipart/report mail or pasted text', () => {
    const arf = emptyFacts('arf');
    const xarf = emptyFacts('xarf-json');
    expect(complaintFormat([xarf, arf], null)).toBe('arf');
    expect(complaintFormat([xarf, arf], { contentType: 'multipart/mixed' } as never)).toBe('xarf-json');
    expect(complaintFormat([arf], { contentType: 'multipart/mixed' } as never)).toBe('arf');
  });
});
