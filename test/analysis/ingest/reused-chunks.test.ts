import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import { ownPayload, type NetEvent } from '../../../analysis/events/event';
import { ingest } from '../../../analysis/ingest/ingest';
import { freshChunk, reusingChunks } from '../../helpers/chunk-sources';
import { casesDir, corpusDir } from '../../helpers/paths';

/**
 * Every event of a file as the sink saw it. The payload is a view valid while the sink runs
 * (decode-context.ts PAYLOAD_KEEP), so it is copied here, as the case analysis's sink does.
 */
async function events(source: AsyncIterable<Uint8Array>, file: string): Promise<NetEvent[]> {
  const out: NetEvent[] = [];
  await ingest(source, { file, diag: new Diagnostics() }, (e) => out.push(ownPayload(e)));
  return out;
}

const files = [
  join(casesDir, 'seed003-udp770-compromise', 'lan-span.pcap'),
  join(corpusDir, 'pcapng', 'chrissanders__http_espn.pcapng'),
  join(corpusDir, 'pcap', 'zeek__http_get-to-ssh-server.pcap'),
  join(corpusDir, 'zeek', 'rita__internet_host_2024-04-19_00h.conn.log'),
  join(corpusDir, 'snort', 'elastic__snort_alert_fast.log'),
];

describe('readers over a source that reuses its buffers', () => {
  it.each(files.map((f) => [f.split('/').pop()!, f]))('%s: the events kept are those of a source that never reuses', async (name, path) => {
    const data = readFileSync(path);
    const expected = await events(freshChunk(data), name);
    expect(expected.length).toBeGreaterThan(0);
    // 997 bytes: the sniffing peek takes many chunks, records and lines straddle them everywhere.
    for (const size of [997, 64 << 10]) expect(await events(reusingChunks(data, size), name), `${size}-byte chunks`).toEqual(expected);
  });
});
