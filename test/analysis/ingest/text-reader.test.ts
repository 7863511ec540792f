import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../analysis/events/event';
import type { LineParser } from '../../../analysis/ingest/reader';
import { headLines, rawExcerpt, sniffLines, textLikeness, textReader } from '../../../analysis/ingest/text-reader';
import { netfilterParser } from '../../../analysis/ingest/text/netfilter';
import { tcpdumpTextParser } from '../../../analysis/ingest/text/tcpdump-text';
import { snortParser } from '../../../analysis/ingest/text/snort';
import { FUZZ_REFERENCE } from '../../helpers/fuzz-ingest';
import { chunks } from '../../helpers/fuzz-mutate';
import { corpusDir } from '../../helpers/paths';

const read = async (parser: LineParser, text: string) => {
  const diag = new Diagnostics();
  const events: NetEvent[] = [];
  await textReader(parser).read(chunks(new TextEncoder().encode(text), 4096), { file: 'cut.log', diag, reference: FUZZ_REFERENCE }, (e) => events.push(e));
  return { events, diag };
};

describe('cuts the fuzz properties found unreported', () => {
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

describe('a line parser as a file reader', () => {
  const snort = new Uint8Array(readFileSync(join(corpusDir, 'snort', 'elastic__snort_alert_fast.log')));

  it('the Snort fast-alert sample: text through and through, its parser scores it, netfilter\'s does not', () => {
    expect(textLikeness(snort)).toBe(1);
    expect(sniffLines(snortParser, snort)).toBeGreaterThan(0.9);
    expect(sniffLines(netfilterParser, snort)).toBeLessThan(0.3);
    expect(textLikeness(new Uint8Array(readFileSync(join(corpusDir, 'pcap', 'ppa__portscan.pcap'))))).toBeLessThan(0.95);
    expect(sniffLines(snortParser, new Uint8Array([0, 1, 2, 3]))).toBe(0);
  });

  it('reads every alert of the sample, each with its line number', async () => {
    const lines = new TextDecoder().decode(snort).split('\n').filter((l) => l.trim() !== '');
    const { events, diag } = await read(snortParser, new TextDecoder().decode(snort));
    expect(events).toHaveLength(lines.length);
    expect(events.map((e) => e.source.line)).toEqual(events.map((_, i) => i + 1));
    expect(diag.weirds).toEqual([]);
  });

  it('gives the head\'s whole lines and trims long raw lines', () => {
    expect(headLines(new TextEncoder().encode('a\r\nb\nc-cut'))).toEqual(['a', 'b']);
    expect(headLines(new TextEncoder().encode('one line'))).toEqual(['one line']);
    expect(rawExcerpt('x'.repeat(400))).toHaveLength(300);
    expect(rawExcerpt('short')).toBe('short');
  });
});
