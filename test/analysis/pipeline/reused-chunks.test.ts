import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import { ingest } from '../../../analysis/ingest/ingest';
import { CaseAnalysis } from '../../../analysis/pipeline';
import { minimalComplaint } from '../../helpers/context';
import { freshChunk, reusingChunks } from '../../helpers/chunk-sources';
import { casesDir, corpusDir } from '../../helpers/paths';

/**
 * Decoders hand out payloads as views into the read buffer (decode-context.ts
 * PAYLOAD_KEEP) and the case analysis's sink copies them for the events it
 * passes on. A whole case read from buffers reused every other chunk must come
 * out as one read from a buffer never reused: the same findings, to the
 * request lines a server's finding quotes (seed001-nat-legit fails without
 * the sink's copy) and the login replies brute force reads.
 */
const ourNets = ['198.51.100.0/24'];

async function analysed(complaint: Awaited<ReturnType<typeof parseComplaint>>, file: string, source: AsyncIterable<Uint8Array>, prefilter = false) {
  const a = new CaseAnalysis(complaint, { ourNets });
  const summary = await ingest(source, { file, diag: new Diagnostics(), caseAddresses: prefilter ? a.addresses : undefined }, a.sink);
  a.addSummary(summary, []);
  const r = a.finish();
  return { verdict: r.verdict, confidence: r.confidence, findings: r.findings };
}

const seedCase = async (name: string, evidence: string) => ({
  complaint: await parseComplaint(new Uint8Array(readFileSync(join(casesDir, name, 'complaint.txt'))), { fileName: 'complaint.txt', ourNets }),
  path: join(casesDir, name, evidence),
});

const cases: Array<[string, () => Promise<{ complaint: Awaited<ReturnType<typeof parseComplaint>>; path: string }>]> = [
  ['seed001-nat-legit', () => seedCase('seed001-nat-legit', 'mirror.pcap')],
  ['seed003-udp770-compromise', () => seedCase('seed003-udp770-compromise', 'lan-span.pcap')],
  // FTP logins refused: brute force reads the server's 530 replies from payloads.
  ['zeek ftp brute force', async () => ({
    complaint: minimalComplaint(['192.168.56.1'], ['192.168.56.101'], { activity: 'brute-force' }),
    path: join(corpusDir, 'pcap', 'zeek__ftp_bruteforce.pcap'),
  })],
];

describe('a case read from reused buffers', () => {
  it.each(cases)('%s: the same analysis as from a buffer never reused', async (_name, load) => {
    const { complaint, path } = await load();
    const data = new Uint8Array(readFileSync(path));
    const expected = await analysed(complaint, path, freshChunk(data));
    expect(expected.findings.length).toBeGreaterThan(0);
    expect(await analysed(complaint, path, reusingChunks(data, 4093))).toEqual(expected);
  });
});

describe('a case whose reader skips the frames about other hosts (ReadContext.caseAddresses)', () => {
  it.each(cases)('%s: the same analysis as when every frame is decoded', async (_name, load) => {
    const { complaint, path } = await load();
    const data = new Uint8Array(readFileSync(path));
    const expected = await analysed(complaint, path, freshChunk(data));
    expect(await analysed(complaint, path, reusingChunks(data, 4093), true)).toEqual(expected);
  });
});

