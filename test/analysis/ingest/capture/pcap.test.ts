import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../../analysis/events/event';
import { ingest } from '../../../../analysis/ingest/ingest';
import { corpusDir } from '../../../helpers/paths';
import { tcpFrame, udpFrame, writePcap, type Frame } from '../../../helpers/pcap-writer';

async function* chunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function read(data: Uint8Array, chunkSize = 1 << 16) {
  const diag = new Diagnostics();
  const events: NetEvent[] = [];
  const summary = await ingest(chunks(data, chunkSize), { file: 'x.pcap', diag }, (e) => events.push({ ...e, payload: e.payload?.slice() }));
  return { summary, events, diag };
}

const frames: Frame[] = Array.from({ length: 50 }, (_, i) => ({
  ts: 1_766_018_400_000_000 + i * 1500,
  data: i % 2
    ? tcpFrame({ src: '198.51.100.80', dst: '192.0.2.66', sport: 80, dport: 40000 + i, flags: 'SA' })
    : udpFrame({ src: '198.51.100.90', dst: '198.51.100.255', sport: 770, dport: 36785 + i, payload: new Uint8Array(28) }),
}));

describe('classic pcap (pcap-parser)', () => {
  for (const variant of [{}, { bigEndian: true }, { nanos: true }, { bigEndian: true, nanos: true }]) {
    it(`reads ${JSON.stringify(variant)} identically`, async () => {
      const { summary, events, diag } = await read(writePcap(frames, variant));
      expect(diag.weirds).toEqual([]);
      expect(summary.format).toBe('pcap');
      expect(summary.records).toBe(50);
      expect(events.map((e) => e.ts)).toEqual(frames.map((f) => f.ts));
      expect(events[1]).toMatchObject({ src: '198.51.100.80', sport: 80, dport: 40001, tcpFlags: 0x12 });
      expect(events[0]).toMatchObject({ sport: 770, payloadLength: 28, source: { packet: 1, offset: 24 } });
    });
  }

  it('gives the same events whatever the chunk boundaries', async () => {
    for (const variant of [{}, { nanos: true }, { bigEndian: true, nanos: true }]) {
      const data = writePcap(frames, variant);
      const whole = (await read(data)).events;
      expect(whole).toHaveLength(50);
      // Sizes 1-3 split the magic: a nanosecond file was once read as a bad microsecond one then.
      for (const size of [1, 2, 3, 7, 100, 4093]) expect((await read(data, size)).events, `${JSON.stringify(variant)} in ${size}-byte chunks`).toEqual(whole);
    }
  });

  it('keeps every packet before a cut and names the offset of the cut one', async () => {
    const data = writePcap(frames);
    const cut = data.subarray(0, data.length - 20);
    const { summary, diag } = await read(cut);
    expect(summary.records).toBe(49);
    const w = diag.weirds.find((x) => x.code === 'truncated_record');
    expect(w?.offset).toBe(data.length - (16 + frames[49].data.length));
    expect(summary.error).toMatch(/cut/);
  });

  it('stops at a corrupt record length instead of buffering the rest of the file', async () => {
    const data = writePcap(frames).slice();
    const tenth = 24 + frames.slice(0, 9).reduce((n, f) => n + 16 + f.data.length, 0);
    new DataView(data.buffer).setUint32(tenth + 8, 0x7fff0000, true);
    const { summary, diag } = await read(data);
    expect(summary.records).toBe(9);
    expect(diag.weirds[0]).toMatchObject({ code: 'corrupt_record_length', offset: tenth });
  });

  it('reads a real nanosecond Linux-cooked capture to the nanosecond, as tshark does', async () => {
    const data = readFileSync(join(corpusDir, 'pcap', 'tcpdump__tcp-handshake-nano.pcap'));
    const { events } = await read(data);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ src: '131.155.215.69', dst: '137.116.81.94', tcpFlags: 0x02 });
    expect(events[0].ts).toBe(1_418_145_369_924_505);
    expect(events[0].tsNanos).toBe(488);
    // Recorded from TShark 4.0.17: `tshark -r tcpdump__tcp-handshake-nano.pcap -T fields -e frame.time_epoch`.
    const tshark = ['1418145369.924505488', '1418145370.052027262', '1418145370.052115157'];
    const epoch = (e: NetEvent): string =>
      `${Math.floor(e.ts / 1e6)}.${String(e.ts % 1e6).padStart(6, '0')}${String(e.tsNanos ?? 0).padStart(3, '0')}`;
    expect(events.map(epoch)).toEqual(tshark);
  });

  it('reports an empty file and an unknown format with the file name', async () => {
    expect((await read(new Uint8Array(0))).summary.error).toBe('the file is empty');
    const junk = new Uint8Array(5000).map((_, i) => (i * 7919) & 0xff);
    const r = await read(junk);
    expect(r.summary.format).toBe('unknown');
    expect(r.diag.messages()[0]).toMatch(/^x\.pcap: byte offset 0: not a format we read/);
  });
});

describe('streaming controls', () => {
  it('reports progress in bytes of the total and stops when the signal aborts', async () => {
    const big = writePcap(Array.from({ length: 40_000 }, (_, i) => ({ ts: 1_766_018_400_000_000 + i, data: frames[i % frames.length].data })));
    const progress: number[] = [];
    const controller = new AbortController();
    const diag = new Diagnostics();
    let seen = 0;
    const run = ingest(chunks(big, 1 << 16), {
      file: 'big.pcap', diag, size: big.length, signal: controller.signal,
      onProgress: (p) => { progress.push(p.bytesDone); expect(p.bytesTotal).toBe(big.length); },
    }, () => { if (++seen === 20_000) controller.abort(); });
    await expect(run).rejects.toThrow(/cancelled/);
    expect(seen).toBeLessThan(40_000);
    const done = await ingest(chunks(big, 1 << 16), { file: 'big.pcap', diag: new Diagnostics(), size: big.length, onProgress: (p) => progress.push(p.bytesDone) }, () => undefined);
    expect(done.records).toBe(40_000);
    expect(progress.at(-1)).toBe(big.length);
  });
});
