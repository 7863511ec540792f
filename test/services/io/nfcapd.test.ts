/**
 * Binary nfcapd files, read through the installed nfdump: one real nfcapd
 * file (an IPFIX replay of a corpus capture, cached by capture hash and tool
 * versions) gives the records of nfdump's own JSON export.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import { nfdumpParser } from '../../../analysis/ingest/text/nfdump';
import { isNfcapd } from '../../../services/io/nfcapd';
import { readEvidenceFile } from '../../../services/io/read-file';
import { cachedNfcapdFile, nfdumpText } from '../../helpers/netflow';
import { corpus, readText } from '../../analysis/ingest/text/helpers';

let nf: { file: string; cleanup: () => Promise<void> };
let reference: NetEvent[];

beforeAll(async () => {
  nf = await cachedNfcapdFile(corpus('pcap', 'zeek__wikipedia.pcap'), 10);
  reference = (await readText(nfdumpParser, await nfdumpText(nf.file, 'json'))).events;
}, 30_000);

afterAll(async () => {
  await nf?.cleanup();
});

const basics = (e: NetEvent): string => `${e.proto} ${e.src ?? '?'}:${e.sport} > ${e.dst ?? '?'}:${e.dport} ${e.flow!.pktsOut}p ${e.flow!.bytesOut}B`;

describe('nfcapd files', () => {
  it('readEvidenceFile reads the binary file through nfdump: exact UTC times, the JSON records', async () => {
    const events: NetEvent[] = [];
    const { summary, diag } = await readEvidenceFile(nf.file, { onEvent: (e) => events.push(e) });
    expect(summary).toMatchObject({ format: 'nfcapd', records: reference.length, timeInferred: false });
    expect(summary.error).toBeUndefined();
    expect(events.map(basics)).toEqual(reference.map(basics));
    expect(events.map((e) => e.ts)).toEqual(reference.map((e) => e.ts));
    expect(diag.messages().join('\n')).toContain('-o json');
  });

  it('without nfdump an nfcapd file is an error that names the Debian package', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      vi.resetModules();
      const fresh = await import('../../../services/io/read-file');
      const { summary } = await fresh.readEvidenceFile(nf.file);
      expect(summary.format).toBe('nfcapd');
      expect(summary.error).toMatch(/needs nfdump.*apt-get install nfdump/);
    } finally {
      process.env.PATH = path;
      vi.resetModules();
    }
  });

  it('recognises the nfcapd header and nothing else', () => {
    expect(isNfcapd(new Uint8Array([0x0c, 0xa5, 0x02, 0x00]))).toBe(true);
    expect(isNfcapd(new Uint8Array([0x0c, 0xa5, 0x01, 0x00]))).toBe(true);
    expect(isNfcapd(new Uint8Array([0x0c, 0xa5, 0x03, 0x00]))).toBe(false);
    expect(isNfcapd(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1]))).toBe(false);
    expect(isNfcapd(new Uint8Array([0x0c]))).toBe(false);
  });
});
