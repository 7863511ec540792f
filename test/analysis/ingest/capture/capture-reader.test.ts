import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../../analysis/events/event';
import { pcapngReader, pcapReader } from '../../../../analysis/ingest/capture/capture-reader';
import type { Progress } from '../../../../analysis/ingest/reader';
import { corpusDir } from '../../../helpers/paths';
import { writePcap, udpFrame } from '../../../helpers/pcap-writer';

async function read(reader: typeof pcapReader, bytes: Uint8Array, file: string) {
  const diag = new Diagnostics();
  const events: NetEvent[] = [];
  const progress: Progress[] = [];
  async function* once(): AsyncGenerator<Uint8Array> { yield bytes; }
  const summary = await reader.read(once(), { file, diag, size: bytes.length, onProgress: (p) => progress.push(p) }, (e) => events.push(e));
  return { summary, events, diag, progress };
}

const corpus = (rel: string) => new Uint8Array(readFileSync(join(corpusDir, rel)));

describe('captures as events', () => {
  it('tcpdump-handshake-nano (pcap, nanoseconds, cooked): 3 packets, the first and last times as tshark gives them, the ns below the µs kept', async () => {
    const { summary, events, progress } = await read(pcapReader, corpus('pcap/tcpdump__tcp-handshake-nano.pcap'), 'nano.pcap');
    expect(summary).toMatchObject({ file: 'nano.pcap', format: 'pcap', linkTypes: ['LINUX_SLL'], records: 3, firstTs: 1418145369924505, lastTs: 1418145370052115 });
    expect(events.map((e) => [e.source.packet, e.tsNanos])).toEqual([[1, 488], [2, 262], [3, 157]]);
    expect(events.every((e) => e.source.file === 'nano.pcap' && e.src !== undefined)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ stage: 'done', records: 3 });
  });

  it('zeek pcapng-multi-interface: 6 packets over its interfaces, as capinfos counts them', async () => {
    const { summary, events } = await read(pcapngReader, corpus('pcapng/zeek__pcapng-multi-interface.pcapng'), 'multi.pcapng');
    expect([summary.format, summary.records, summary.linkTypes]).toEqual(['pcapng', 6, ['ETHERNET']]);
    expect(new Date(summary.firstTs! / 1000).toISOString()).toBe('2026-01-06T01:31:29.500Z');
    expect(events.map((e) => e.source.packet)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('counts the frames of a link type it does not decode, and says so once', async () => {
    const frame = udpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, payload: 'x' });
    const bytes = writePcap([{ data: frame, ts: 1_700_000_000e6 }, { data: frame, ts: 1_700_000_001e6 }], { linkType: 147 });
    const { summary, events, diag } = await read(pcapReader, bytes, 'user0.pcap');
    expect([summary.records, summary.linkTypes, events.every((e) => e.src === undefined)]).toEqual([2, ['LINKTYPE_147'], true]);
    expect(diag.weirds.map((w) => w.code)).toEqual(['unknown_link_type']);
  });
});
