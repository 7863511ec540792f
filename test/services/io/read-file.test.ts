import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import { readEvidenceFile } from '../../../services/io/read-file';
import { corpusDir, fixturesDir } from '../../helpers/paths';

describe('one evidence file from disk', () => {
  it('a capture and a log of the corpus: their format, records and the name references use', async () => {
    const events: NetEvent[] = [];
    const pcap = await readEvidenceFile(join(corpusDir, 'pcap', 'ppa__portscan.pcap'), { onEvent: (e) => events.push(e), displayName: 'scan.pcap' });
    expect(pcap.summary).toMatchObject({ file: 'scan.pcap', format: 'pcap', records: 29 });
    expect(pcap.summary).not.toHaveProperty('error');
    expect(events.every((e) => e.source.file === 'scan.pcap')).toBe(true);
    const log = await readEvidenceFile(join(corpusDir, 'hostlogs', 'fail2ban__sshd.log'));
    expect([log.summary.file, log.summary.format]).toEqual(['fail2ban__sshd.log', 'fail2ban']);
    expect(log.summary.records).toBeGreaterThan(0);
  });

  it('a missing file or a folder is an error of that file, never a throw', async () => {
    const gone = await readEvidenceFile(join(corpusDir, 'pcap', 'no-such.pcap'));
    expect(gone.summary).toMatchObject({ format: 'unknown', records: 0, error: expect.stringMatching(/^cannot read: ENOENT/) });
    expect(gone.diag.weirds[0]).toMatchObject({ code: 'unreadable_file', file: 'no-such.pcap' });
    const dir = await readEvidenceFile(fixturesDir);
    expect(dir.summary.error).toBe('cannot read: is a directory');
  });

  it('an aborted read throws AbortError (the run is cancelled, not the file)', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(readEvidenceFile(join(corpusDir, 'pcap', 'ppa__portscan.pcap'), { signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
