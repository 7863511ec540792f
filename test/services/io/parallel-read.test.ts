import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../services/analyze-files';
import { lastParallelRead } from '../../../services/io/parallel-read';
import { corpus, shared } from '../../analysis/ingest/text/helpers';

/**
 * The evidence read by worker threads (a classic pcap cut in two at a record
 * boundary, or two files at once), each part into an analysis of its own,
 * merged in file order: the result must be the one a single pass gives,
 * to the last quoted packet.
 */
const ONE_PASS = { workers: 0, splitMinBytes: 1, minTotalBytes: 0 };
const TWO_WORKERS = { workers: 2, splitMinBytes: 1, minTotalBytes: 0 };

describe('reading evidence in worker threads', () => {
  it('a SYN-flood capture split in two and read by two workers gives the one-pass analysis', async () => {
    const dir = path.join(shared, 'cases', 'seed001-synflood-backscatter');
    const input = {
      complaint: readFileSync(path.join(dir, 'complaint.txt')), complaintName: 'complaint.txt',
      evidence: [path.join(dir, 'www-border.pcap')], ourNets: ['198.51.100.0/24'],
    };
    const one = await analyzeFiles(input, ONE_PASS);
    const split = await analyzeFiles(input, TWO_WORKERS);
    expect(lastParallelRead).toMatchObject({ tasks: 2, inWorkers: 2, fellBack: 0 });
    // Past the quote samples' caps, so the merge of what each half kept is what is tested.
    expect(one.findings.length).toBeGreaterThan(0);
    expect(split).toEqual(one);
  }, 60_000);

  it('two files read at once by two workers give what reading them one after the other gives', async () => {
    const scan = corpus('pcap', 'wireshark-wiki__nmap_OS_scan.pcap');
    const ssh = corpus('pcap', 'zeek__ssh_sshguess.pcap');
    // The scanner of the first capture is the accused; the second adds an SSH password guesser from another network.
    const complaint = 'Subject: port scan\n\nYour host 192.168.100.103 scanned our network on 2014-02-07 10:10 UTC. Please stop it.\n';
    const input = { complaint: new TextEncoder().encode(complaint), complaintName: 'c.txt', evidence: [scan, ssh], ourNets: ['192.168.100.0/24'] };
    const one = await analyzeFiles(input, { ...ONE_PASS, splitMinBytes: Infinity });
    const both = await analyzeFiles(input, { ...TWO_WORKERS, splitMinBytes: Infinity });
    expect(lastParallelRead).toMatchObject({ tasks: 2, inWorkers: 2, fellBack: 0 });
    expect(one.findings.map((f) => f.id)).toContain('outbound-port-scan');
    expect(one.evidence.map((e) => e.records)).toEqual(both.evidence.map((e) => e.records));
    expect(both).toEqual(one);
  }, 60_000);
});
