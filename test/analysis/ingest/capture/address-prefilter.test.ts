import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../../analysis/events/event';
import { AddressPrefilter } from '../../../../analysis/ingest/capture/address-prefilter';
import { ingest } from '../../../../analysis/ingest/ingest';
import { corpusDir } from '../../../helpers/paths';
import { ethernet, ipv4, toSll, udpDatagram, udpFrame } from '../../../helpers/pcap-writer';

const CASE = ['198.51.100.10', '203.0.113.77'];
const frame = (src: string, dst: string) => udpFrame({ src, dst, sport: 1, dport: 2, payload: 'x' });

/**
 * The prefilter reads a frame where the framer found it, inside a chunk:
 * each frame is put at an odd offset in a larger buffer whose other bytes
 * are IPv4-looking garbage, so a read before `start` or past `end` would
 * change the answer.
 */
function inChunk(fr: Uint8Array): [Uint8Array, number, number] {
  const start = 23;
  const chunk = new Uint8Array(start + fr.length + 64).fill(0x45);
  chunk.set(fr, start);
  return [chunk, start, start + fr.length];
}

describe('AddressPrefilter', () => {
  const filter = new AddressPrefilter([...CASE, '2001:db8::1', '010.0.0.1']);
  const f = { skips: (linkType: number, fr: Uint8Array): boolean => filter.skips(linkType, ...inChunk(fr)) };

  it('skips an IPv4 frame between two other hosts, in Ethernet, Linux cooked and raw-IP frames', () => {
    const other = frame('192.0.2.1', '192.0.2.2');
    expect(f.skips(1, other)).toBe(true);
    expect(f.skips(113, toSll(other))).toBe(true);
    const raw = ipv4('192.0.2.1', '192.0.2.2', 17, udpDatagram({ src: '192.0.2.1', dst: '192.0.2.2', sport: 1, dport: 2, payload: 'x' }));
    expect(f.skips(101, raw)).toBe(true);
    expect(f.skips(228, raw)).toBe(true);
  });

  it('keeps a frame from or to a case address, at either end', () => {
    expect(f.skips(1, frame('198.51.100.10', '192.0.2.2'))).toBe(false);
    expect(f.skips(1, frame('192.0.2.2', '203.0.113.77'))).toBe(false);
    expect(f.skips(113, toSll(frame('192.0.2.2', '198.51.100.10')))).toBe(false);
  });

  it('reads through one or two VLAN tags, not three', () => {
    const tag = (fr: Uint8Array, type: number) => new Uint8Array([...fr.subarray(0, 12), type >> 8, type & 255, 0x00, 0x05, ...fr.subarray(12)]);
    const other = frame('192.0.2.1', '192.0.2.2');
    expect(f.skips(1, tag(other, 0x8100))).toBe(true);
    expect(f.skips(1, tag(tag(other, 0x8100), 0x88a8))).toBe(true);
    expect(f.skips(1, tag(tag(frame('192.0.2.1', '203.0.113.77'), 0x8100), 0x88a8))).toBe(false);
    expect(f.skips(1, tag(tag(tag(other, 0x8100), 0x8100), 0x9100))).toBe(false);
  });

  it('leaves to the decoders what it cannot read plainly: other EtherTypes, short frames, other link types', () => {
    const other = frame('192.0.2.1', '192.0.2.2');
    expect(f.skips(1, ethernet(new Uint8Array(40), 0x86dd))).toBe(false);
    expect(f.skips(1, other.subarray(0, 33))).toBe(false);
    expect(f.skips(0, other)).toBe(false);
    expect(f.skips(276, other)).toBe(false);
  });

  it('compares only canonical IPv4 addresses, the only form the decoder writes', () => {
    expect(f.skips(1, frame('10.0.0.1', '192.0.2.2'))).toBe(true);
  });
});

/** The events a case about `addresses` looks at, read with the prefilter (ReadContext.caseAddresses). */
async function seen(bytes: Uint8Array, addresses: readonly string[]): Promise<NetEvent[]> {
  const out: NetEvent[] = [];
  const wanted = new Set(addresses);
  async function* once(): AsyncGenerator<Uint8Array> { yield bytes; }
  await ingest(once(), { file: 'x', diag: new Diagnostics(), caseAddresses: addresses }, (e) => {
    if (wanted.has(e.src!) || wanted.has(e.dst!)) out.push(e);
  });
  return out;
}

describe('a capture read for a case', () => {
  const dir = join(corpusDir, 'pcap');
  const files = readdirSync(dir).filter((f) => /\.(pcap|cap)$/.test(f));

  it.each(files)('%s: the case sees the same events, to the byte, as when every frame is decoded', async (name) => {
    const bytes = new Uint8Array(readFileSync(join(dir, name)));
    const events: NetEvent[] = [];
    async function* once(): AsyncGenerator<Uint8Array> { yield bytes; }
    const plain = await ingest(once(), { file: 'x', diag: new Diagnostics() }, (e) => events.push(e));
    // The case: the busiest source and the first host it spoke to, as a complaint would name them.
    const counts = new Map<string, number>();
    for (const e of events) if (e.src) counts.set(e.src, (counts.get(e.src) ?? 0) + 1);
    const busiest = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const addresses = [busiest, events.find((e) => e.src === busiest)?.dst].filter((a): a is string => a !== undefined);
    const wanted = new Set(addresses);
    expect(await seen(bytes, addresses)).toEqual(events.filter((e) => wanted.has(e.src!) || wanted.has(e.dst!)));
    // Every frame is still counted and dated.
    async function* again(): AsyncGenerator<Uint8Array> { yield bytes; }
    const summary = await ingest(again(), { file: 'x', diag: new Diagnostics(), caseAddresses: addresses }, () => undefined);
    expect([summary.records, summary.firstTs, summary.lastTs]).toEqual([plain.records, plain.firstTs, plain.lastTs]);
  });
});
