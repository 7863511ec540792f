import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectFile } from '../../services/inspect-file';
import { corpusDir } from '../helpers/paths';

describe('inspect one evidence file', () => {
  it('zeek http_get-to-ssh-server: format, 9 packets, the span in UTC, the one conversation (as tshark gives them)', async () => {
    const r = await inspectFile(join(corpusDir, 'pcap', 'zeek__http_get-to-ssh-server.pcap'));
    expect(r).toMatchObject({ format: 'pcap', linkTypes: ['ETHERNET'], records: 9, timeInferred: false, warnings: [] });
    expect(r.firstTs).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}/);
    expect(r.topConversations).toHaveLength(1);
    expect(r.topConversations[0]).toMatchObject({ orig: '136.216.42.40', resp: '130.74.164.231', respPort: 22, packetsOrig: 4, packetsResp: 5 });
    expect(r.topTalkers.map((t) => t.address).sort()).toEqual(['130.74.164.231', '136.216.42.40']);
    expect(r.error).toBeUndefined();
  });

  it('a syslog with no year takes the reference\'s and says the times were inferred; a missing file is its error', async () => {
    const r = await inspectFile(join(corpusDir, 'hostlogs', 'fail2ban__sshd.log'), { nearMs: Date.UTC(2014, 0, 1), zone: 'UTC' });
    expect([r.format, r.timeInferred]).toEqual(['fail2ban', true]);
    const gone = await inspectFile(join(corpusDir, 'nope.pcap'));
    expect(gone.error).toMatch(/^cannot read/);
    expect(gone.records).toBe(0);
  });
});
