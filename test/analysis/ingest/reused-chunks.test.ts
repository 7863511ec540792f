import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../analysis/events/event';
import { ingest } from '../../../analysis/ingest/ingest';
import { casesDir, corpusDir } from '../../helpers/paths';

/**
 * A source that reads into two buffers in turn, as services/io/file-source.ts
 * does: a chunk's bytes are overwritten once the one after it has been taken
 * and another asked for. Every reader (and the sniffing peek) must copy what
 * it keeps past that point.
 */
async function* reusing(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buffers = [new Uint8Array(size), new Uint8Array(size)];
  for (let i = 0, turn = 0; i < data.length; i += size, turn ^= 1) {
    const n = Math.min(size, data.length - i);
    buffers[turn].set(data.subarray(i, i + n));
    yield buffers[turn].subarray(0, n);
  }
}

async function* fresh(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data.slice();
}

/** Every event of a file, with the fields a detector or a draft may keep (payload copied by the reader). */
async function events(source: AsyncIterable<Uint8Array>, file: string): Promise<NetEvent[]> {
  const out: NetEvent[] = [];
  await ingest(source, { file, diag: new Diagnostics() }, (e) => out.push(e));
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
    const expected = await events(fresh(data), name);
    expect(expected.length).toBeGreaterThan(0);
    // 997 bytes: the sniffing peek takes many chunks, records and lines straddle them everywhere.
    for (const size of [997, 64 << 10]) expect(await events(reusing(data, size), name), `${size}-byte chunks`).toEqual(expected);
  });
});
