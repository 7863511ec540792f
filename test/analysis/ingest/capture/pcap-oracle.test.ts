import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pcapParser from 'pcap-parser';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../../analysis/events/diagnostics';
import { frameData } from '../../../../analysis/ingest/capture/frame';
import { framePcap, sniffPcap } from '../../../../analysis/ingest/capture/pcap';
import { corpusDir } from '../../../helpers/paths';

/** One record as both framers see it: times, lengths and the captured bytes. */
interface Record { sec: number; fraction: number; caplen: number; origLen: number; data: string }

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** pcap-parser 0.2.1, the framer this one replaced, as the oracle (it knows only the microsecond magics). */
function byPcapParser(file: Buffer): Promise<{ linkType: number; records: Record[] }> {
  const bytes = Buffer.from(file);
  const nanos = bytes.readUInt32LE(0) === 0xa1b23c4d || bytes.readUInt32BE(0) === 0xa1b23c4d;
  // Same byte order, microsecond magic: the fraction field is then read as is (as the old framer did).
  if (nanos) bytes.writeUInt32BE(bytes[0] === 0x4d ? 0xd4c3b2a1 : 0xa1b2c3d4, 0);
  return new Promise((resolve, reject) => {
    const handlers: { [event: string]: (arg?: unknown) => void } = {};
    const stream = { on(event: string, fn: (arg?: unknown) => void) { handlers[event] = fn; return stream; }, pause() {}, resume() {} };
    const parser = pcapParser.parse(stream);
    let linkType = -1;
    const records: Record[] = [];
    parser.on('globalHeader', (h) => { linkType = h.linkLayerType & 0x0fffffff; });
    parser.on('packet', (p) => records.push({
      sec: p.header.timestampSeconds, fraction: p.header.timestampMicroseconds * (nanos ? 1 : 1000),
      caplen: p.header.capturedLength, origLen: p.header.originalLength, data: hex(p.data),
    }));
    parser.on('error', reject);
    parser.on('end', () => resolve({ linkType, records }));
    handlers.data(bytes);
    handlers.end();
  });
}

async function byFramer(file: Uint8Array, chunk: number) {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < file.length; i += chunk) yield file.subarray(i, i + chunk);
  }
  const records: Record[] = [];
  const diag = new Diagnostics();
  const summary = await framePcap(chunks(), { file: 'x.pcap', diag }, (f) => records.push({
    sec: f.tsSec, fraction: f.tsNanos, caplen: f.end - f.start, origLen: f.origLen, data: hex(frameData(f)),
  }));
  return { linkType: summary.linkTypes[0], records, weirds: diag.weirds };
}

const pcaps = readdirSync(join(corpusDir, 'pcap')).filter((f) => f.endsWith('.pcap'))
  .map((name) => ({ name, bytes: readFileSync(join(corpusDir, 'pcap', name)) }))
  .filter((f) => sniffPcap(f.bytes.subarray(0, 4)) > 0);

describe('classic pcap framer against pcap-parser on every corpus capture', () => {
  it('finds the corpus captures', () => expect(pcaps.length).toBeGreaterThan(40));

  it.each(pcaps.map((p) => [p.name, p.bytes] as const))('%s: the same records, whole and in odd chunks', async (_, bytes) => {
    const oracle = await byPcapParser(bytes);
    // 1 MiB is how files are read; 4093 and 61 cut records (and the header) at every kind of place.
    for (const chunk of [1 << 20, 4093, 61]) {
      const ours = await byFramer(bytes, chunk);
      expect(ours.linkType).toBe(oracle.linkType);
      expect(ours.records).toEqual(oracle.records);
    }
  });
});
