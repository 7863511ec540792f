import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../analysis/events/event';
import { ingest, SNIFF_BYTES } from '../../../analysis/ingest/ingest';
import type { LineParser } from '../../../analysis/ingest/reader';
import { textReader } from '../../../analysis/ingest/text-reader';
import { netfilterParser } from '../../../analysis/ingest/text/netfilter';
import { tcpdumpTextParser } from '../../../analysis/ingest/text/tcpdump-text';
import { readEvidenceFile } from '../../../services/io/read-file';
import { FUZZ_REFERENCE } from '../../helpers/fuzz-ingest';
import { chunks } from '../../helpers/fuzz-mutate';
import { fuzzRuns } from '../../helpers/fuzz-seed';
import { ingestFuzzSuite } from './fuzz-suite';

/**
 * Untrusted input discipline (file-type): every fixture format, mutated by
 * truncation, bit flips, absurd length fields and spliced junk, keeps the
 * records before the damage and reports the damage with its offset. A few
 * runs per fixture here; test/analysis/ingest/fuzz.slow.test.ts runs many.
 */
ingestFuzzSuite(fuzzRuns(20));

describe('cuts the fuzz properties found unreported', () => {
  const read = async (parser: LineParser, text: string) => {
    const diag = new Diagnostics();
    const events: NetEvent[] = [];
    await textReader(parser).read(chunks(new TextEncoder().encode(text), 4096), { file: 'cut.log', diag, reference: FUZZ_REFERENCE }, (e) => events.push(e));
    return { events, diag };
  };

  it('names a last line without a line end: the file may have been cut inside it', async () => {
    const line = (dpt: number): string => `Feb  1 23:00:01 fw kernel: IN=eth0 OUT= SRC=192.0.2.66 DST=198.51.100.80 LEN=40 TTL=50 ID=1 PROTO=TCP SPT=4000 DPT=${dpt} WINDOW=1024 SYN`;
    // Cut inside "DPT=80": the line still reads as a record, without its port; only the diagnostic tells.
    const cut = `${line(22)}\n${line(80)}`.slice(0, -21);
    const { events, diag } = await read(netfilterParser, cut);
    expect(events.map((e) => [e.src, e.dport])).toEqual([['192.0.2.66', 22], ['192.0.2.66', undefined]]);
    expect(diag.weirds).toEqual([expect.objectContaining({ code: 'unterminated_line', file: 'cut.log', line: 2, offset: line(22).length + 1 })]);
  });

  it('reports a tcpdump -v record whose second line never came', async () => {
    const head = '04:08:34.960241 IP (tos 0x0, ttl 58, id 60152, offset 0, flags [none], proto UDP (17), length 28)';
    const { events, diag } = await read(tcpdumpTextParser, `${head}\n    192.168.1.10.62025 > 192.168.1.25.28369: UDP, length 0\n${head}\n`);
    expect(events).toHaveLength(1);
    expect(diag.weirds).toEqual([expect.objectContaining({ code: 'truncated_record', file: 'cut.log', line: 3 })]);
  });
});

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
