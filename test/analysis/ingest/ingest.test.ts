import { closeSync, ftruncateSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import { ingest, peek, sniffFormat, SNIFF_BYTES } from '../../../analysis/ingest/ingest';
import { readEvidenceFile } from '../../../services/io/read-file';
import { chunks } from '../../helpers/fuzz-mutate';
import { corpusDir } from '../../helpers/paths';

describe('junk that is not evidence', () => {
  it('turns away a 4 GB file of zeros after its first bytes, naming the file', async () => {
    const path = join(tmpdir(), `abuse-desk-4g-${process.pid}.bin`);
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 4 * 1024 ** 3);
    closeSync(fd);
    try {
      const { summary, diag } = await readEvidenceFile(path);
      expect(summary.format).toBe('unknown');
      // Only the sniffing head was taken from the file.
      expect(summary.bytes).toBe(SNIFF_BYTES);
      expect(diag.messages()[0]).toMatch(/abuse-desk-4g-\d+\.bin: byte offset 0: not a format we read \(first bytes: 00 00 00/);
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('pulls no more than the head from an endless stream of junk and closes it', async () => {
    let pulled = 0;
    let closed = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          pulled += 4096;
          yield new Uint8Array(4096).fill(0xa5);
        }
      } finally {
        closed = true;
      }
    }
    const summary = await ingest(endless(), { file: 'junk.bin', diag: new Diagnostics() }, () => undefined);
    expect(summary.error).toMatch(/not a format we read/);
    expect(pulled).toBe(SNIFF_BYTES);
    expect(closed).toBe(true);
  });
});

describe('the reader for a file, from its first bytes', () => {
  const head = (rel: string) => new Uint8Array(readFileSync(join(corpusDir, rel))).subarray(0, SNIFF_BYTES);

  it.each([
    ['pcap/tcpdump__pptp.pcap', 'pcap'],
    ['pcapng/chrissanders__synscan.pcapng', 'pcapng'],
    ['snort/elastic__snort_alert_fast.log', 'snort'],
    ['netfilter/psad__syn_scan_1000_1500.log', 'netfilter'],
  ])('%s is read as %s', (rel, format) => {
    expect(sniffFormat(head(rel))?.format).toBe(format);
  });

  it('peek hands back the head and a stream that replays it, whatever the chunking', async () => {
    const bytes = new Uint8Array(readFileSync(join(corpusDir, 'pcap', 'ppa__portscan.pcap')));
    const { head: h, stream, close } = await peek(chunks(bytes, 100), 1000);
    expect(Array.from(h)).toEqual(Array.from(bytes.subarray(0, 1000)));
    const parts: Uint8Array[] = [];
    for await (const c of stream) parts.push(c.slice());
    await close();
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
  });

  it('ingest reads the pptp capture (big-endian pcap) as tshark counts it: 23 records', async () => {
    const bytes = new Uint8Array(readFileSync(join(corpusDir, 'pcap', 'tcpdump__pptp.pcap')));
    let n = 0;
    const summary = await ingest(chunks(bytes, 512), { file: 'pptp.pcap', diag: new Diagnostics() }, () => { n++; });
    expect([summary.format, summary.records, n, summary.error]).toEqual(['pcap', 23, 23, undefined]);
  });
});
