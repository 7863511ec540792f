import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFrame } from '../../../analysis/decode/registry';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import type { NetEvent } from '../../../analysis/events/event';
import { frameData, ownFrame, type OwnedFrame } from '../../../analysis/ingest/capture/frame';
import { framePcap } from '../../../analysis/ingest/capture/pcap';
import { corpusDir } from '../../helpers/paths';

/** One frame through the decoder chain from its link-layer header: the event and the weirds it reported. */
export function decode(data: Uint8Array, linkType = 1, end = data.length): { ev: NetEvent; weirds: string[] } {
  const ev: NetEvent = { kind: 'packet', ts: 0, source: { file: 't', packet: 1, offset: 0 } };
  const weirds: string[] = [];
  decodeFrame(linkType, { bytes: data, view: new DataView(data.buffer, data.byteOffset, data.byteLength), end, weird: (c) => weirds.push(c) }, ev);
  return { ev, weirds };
}

/** Every frame of a classic pcap of the shared corpus (`pcap/<name>`), its bytes copied. */
export async function corpusFrames(name: string): Promise<OwnedFrame[]> {
  const frames: OwnedFrame[] = [];
  const bytes = new Uint8Array(readFileSync(join(corpusDir, 'pcap', name)));
  async function* once(): AsyncGenerator<Uint8Array> { yield bytes; }
  await framePcap(once(), { file: name, diag: new Diagnostics() }, (f) => frames.push(ownFrame(f, frameData(f).slice())));
  return frames;
}

/** Every frame of a corpus capture decoded as the capture reader does. */
export async function corpusEvents(name: string): Promise<Array<{ ev: NetEvent; weirds: string[] }>> {
  return (await corpusFrames(name)).map((f) => decode(f.data, f.linkType));
}
