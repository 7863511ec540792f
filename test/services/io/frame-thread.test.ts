import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import { readPcapFramedElsewhere } from '../../../analysis/ingest/capture/capture-reader';
import { expectSameBothWays } from '../../helpers/frame-thread-compare';
import { FRAME_THREAD_MAX_KEPT, FRAME_THREAD_MIN_BYTES, addressesNamedIn, frameThreadFor, framerInThread } from '../../../services/io/frame-thread';
import { corpusDir } from '../../helpers/paths';
import { tcpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';

/**
 * A classic pcap framed in a thread of its own gives the sink the same
 * events in the same order, and the summary the same counts, times,
 * diagnostics and error, as framing it in the calling thread, with or
 * without the case's addresses to drop frames by; the worker's slots, the
 * batches in buffers of their own and the frame too large for a slot each
 * have a file that takes them. The slow tier compares the whole corpus.
 */

const dir = mkdtempSync(join(tmpdir(), 'frame-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

const US = '198.51.100.10';
const THEM = '203.0.113.77';
/** `n` SYNs from forged sources to us, one in `every` from the complainant. */
function flood(n: number, every: number, t0 = 1_767_233_000e6): Frame[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: t0 + i * 10,
    data: tcpFrame({ src: i % every === 0 ? THEM : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, dst: US, sport: 1024 + (i % 60000), dport: 80, flags: 'S' }),
  }));
}

describe('a classic pcap framed in a thread of its own', () => {
  it.each([
    'zeek__ftp_bruteforce.pcap',
    'tcpdump__unaligned-nfs-1.pcap',
    'zeek__http_get-to-ssh-server.pcap',
    'tcpdump__tcp-handshake-nano.pcap',
    'zeek__ipv4_fragmented-syn.pcap',
  ])('%s: the same events, summary and diagnostics as framed here', async (name) => {
    const r = await expectSameBothWays(join(corpusDir, 'pcap', name));
    expect(r.events.length).toBeGreaterThan(0);
  }, 30_000);

  it('with the case\'s addresses: only its frames reach the sink, every frame is counted and dated', async () => {
    const path = file('flood.pcap', writePcap(flood(30_000, 20)));
    const r = await expectSameBothWays(path, [US, THEM].slice(1));
    expect(r.events.length).toBe(1500);
    expect(r.summary.records).toBe(30_000);
    expect(r.summary.lastTs! - r.summary.firstTs!).toBe(29_999 * 10);
  }, 30_000);

  it('16-byte records, a chunk of which fills every slot by count while the sink is busy: the rest go in batches of their own, in order', async () => {
    const empty = new Uint8Array(0);
    const path = file('tiny.pcap', writePcap(Array.from({ length: 150_000 }, (_, i) => ({ ts: 1_767_233_000e6 + i, data: empty, origLen: 60 }))));
    const r = await expectSameBothWays(path, undefined, 300);
    expect(r.events.length).toBe(150_000);
  }, 30_000);

  it('a frame larger than a slot (a 1 MiB snap length) arrives whole, between its neighbours', async () => {
    const big = new Uint8Array(600_000).fill(7);
    const frames = [...flood(3, 1), { ts: 1_767_233_001e6, data: big }, ...flood(3, 1, 1_767_233_002e6)];
    const r = await expectSameBothWays(file('jumbo.pcap', writePcap(frames, { snaplen: 1 << 20 })));
    expect(r.events.map((e) => e.length)).toEqual([54, 54, 54, 600_000, 54, 54, 54]);
  }, 30_000);

  it('a file cut inside a record, and one whose record claims more than the snap length, stop as framed here', async () => {
    const whole = writePcap(flood(5000, 1));
    const cut = await expectSameBothWays(file('cut.pcap', whole.subarray(0, whole.length - 20)));
    expect(cut.summary.error).toMatch(/cut/);
    const corrupt = whole.slice();
    new DataView(corrupt.buffer).setUint32(24 + 100 * 70 + 8, 0x7fffffff, true);
    const bad = await expectSameBothWays(file('corrupt.pcap', corrupt));
    expect(bad.summary.error).toMatch(/corrupt/);
    expect(bad.events.length).toBe(100);
  }, 30_000);

  it('stops within a second when the analysis is cancelled, and says so', async () => {
    const path = file('long.pcap', writePcap(flood(200_000, 1)));
    const size = statSync(path).size;
    const controller = new AbortController();
    let seen = 0;
    const started = Date.now();
    const reading = readPcapFramedElsewhere(framerInThread(path, size)!, { file: 'long.pcap', diag: new Diagnostics(), size, signal: controller.signal }, () => {
      if (++seen === 1000) controller.abort();
    });
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(seen).toBeLessThan(200_000);
  }, 30_000);
});

describe('which files are framed in a thread', () => {
  const scan = file('scan.pcap', writePcap(flood(20_000, 25)));
  const busy = file('busy.pcap', writePcap(flood(20_000, 2)));
  const large = FRAME_THREAD_MIN_BYTES;

  it(`a large classic pcap whose case keeps at most ${FRAME_THREAD_MAX_KEPT} of its frames`, async () => {
    expect(await frameThreadFor(scan, large, [THEM])).toBeTypeOf('function');
    expect(await frameThreadFor(busy, large, [THEM])).toBeUndefined();
    expect(await frameThreadFor(scan, large, undefined)).toBeUndefined();
    expect(await frameThreadFor(scan, large - 1, [THEM])).toBeUndefined();
  });

  it('never another format', async () => {
    expect(await frameThreadFor(join(corpusDir, 'pcapng', 'chrissanders__http_ip4and6.pcapng'), large, [THEM])).toBeUndefined();
    expect(await frameThreadFor(file('text.log', new TextEncoder().encode('a'.repeat(1000))), large, [THEM])).toBeUndefined();
  });
});

describe('the addresses a complaint\'s raw text names, to warm a thread before it is parsed', () => {
  it('every address once, in headers, body and quoted tcpdump lines, nothing that only looks like one', () => {
    const raw = new TextEncoder().encode('Received: from mx (192.0.2.7)\r\n\r\nYour host 198.51.100.66 scanned 203.0.113.77:80; 198.51.100.66 again. '
      + 'IP 198.51.100.66.4444 > 203.0.113.77.80: Flags [S]. Version 1.2.3.4.5.6, build 999.1.1.1, 10.0.0.256.');
    expect(addressesNamedIn(raw)).toEqual(['192.0.2.7', '198.51.100.66', '203.0.113.77']);
  });
});

