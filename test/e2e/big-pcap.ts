import { open } from 'node:fs/promises';
import { tcpFrame } from '../helpers/pcap-writer';

/**
 * A large classic pcap for the cancel test, written in chunks so memory stays
 * flat: a SYN flood on our host 198.51.100.80:80 from changing sources, with
 * SYN-ACK answers to 192.0.2.66 mixed in. Every packet involves the accused,
 * so the engine keeps and weighs all of them: a long analysis.
 */
export async function writeBigPcap(path: string, targetBytes: number): Promise<number> {
  const fh = await open(path, 'w');
  const header = new Uint8Array(24);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, 0xa1b2c3d4, true);
  hv.setUint16(4, 2, true);
  hv.setUint16(6, 4, true);
  hv.setUint32(16, 65535, true);
  hv.setUint32(20, 1, true);
  await fh.write(header);

  const syn = tcpFrame({ src: '203.0.113.7', dst: '198.51.100.80', sport: 40000, dport: 80, flags: 'S', ttl: 120 });
  const synack = tcpFrame({ src: '198.51.100.80', dst: '192.0.2.66', sport: 80, dport: 40000, flags: 'SA', ttl: 64 });
  const chunkFrames = 65536;
  const recLen = 16 + Math.max(syn.length, synack.length);
  const buf = new Uint8Array(chunkFrames * recLen);
  const view = new DataView(buf.buffer);
  let written = 24;
  let n = 0;
  const t0 = Date.UTC(2025, 11, 18, 0, 40, 0) / 1000;
  while (written < targetBytes) {
    let off = 0;
    for (let i = 0; i < chunkFrames; i++, n++) {
      const frame = n % 4 === 3 ? synack : syn;
      const usec = n * 50;
      view.setUint32(off, t0 + Math.floor(usec / 1e6), true);
      view.setUint32(off + 4, usec % 1e6, true);
      view.setUint32(off + 8, frame.length, true);
      view.setUint32(off + 12, frame.length, true);
      buf.set(frame, off + 16);
      const ip = off + 16 + 14;
      if (frame === syn) {
        // Vary the forged source (bytes 12..15 of the IPv4 header) and the source port.
        view.setUint16(ip + 14, n & 0xffff);
        view.setUint16(ip + 20, 1024 + (n % 60000));
      } else {
        view.setUint16(ip + 22, 1024 + (n % 60000));
      }
      off += 16 + frame.length;
    }
    await fh.write(buf, 0, off);
    written += off;
  }
  await fh.close();
  return written;
}
