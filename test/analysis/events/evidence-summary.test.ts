import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceSummaryCollector } from '../../../analysis/events/evidence-summary';
import { loadEvents } from '../../helpers/load-events';
import { corpusDir } from '../../helpers/paths';

async function collect(rel: string): Promise<EvidenceSummaryCollector> {
  const c = new EvidenceSummaryCollector();
  for (const e of await loadEvents(join(corpusDir, rel))) c.add(e);
  return c;
}

describe('what inspect prints about a file', () => {
  it('a GET to an SSH server (zeek): one conversation, 4 packets and 877 bytes from the client, 5 and 353 back (tshark -z conv,tcp)', async () => {
    const c = await collect('pcap/zeek__http_get-to-ssh-server.pcap');
    const [conv, ...rest] = c.topConversations();
    expect(rest).toEqual([]);
    expect(conv).toMatchObject({ proto: 'tcp', orig: '136.216.42.40', origPort: 44338, resp: '130.74.164.231', respPort: 22, packetsOrig: 4, packetsResp: 5, bytesOrig: 877, bytesResp: 353 });
    expect(c.kinds).toEqual(new Map([['packet', 9]]));
  });

  it('zeek ftp_bruteforce: the talkers as tshark -z endpoints,ip counts what each sent', async () => {
    const c = await collect('pcap/zeek__ftp_bruteforce.pcap');
    expect(c.topTalkers(2)).toEqual([
      { address: '192.168.56.1', packets: 332, bytes: 23013 },
      { address: '192.168.56.101', packets: 274, bytes: 22434 },
    ]);
  });

  it('argus records of the same FTP brute force count the packets they summarise, both directions in one conversation', async () => {
    const c = await collect('argus/generated__zeek_ftp_bruteforce.ra-long.txt');
    expect(c.kinds.get('flow')).toBeGreaterThan(0);
    const talkers = c.topTalkers(2);
    expect(talkers.map((t) => t.address)).toEqual(['192.168.56.1', '192.168.56.101']);
    expect(talkers[0].packets).toBe(332);
    const convs = c.topConversations(100);
    expect(convs.every((x) => x.proto === 'tcp' && x.respPort === 21)).toBe(true);
    expect(convs.reduce((n, x) => n + x.packetsOrig + x.packetsResp, 0)).toBe(606);
  });
});
