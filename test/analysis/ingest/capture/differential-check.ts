import { basename } from 'node:path';
import { describe, it } from 'vitest';
import type { NetEvent } from '../../../../analysis/events/event';
import type { ReadSummary } from '../../../../analysis/ingest/reader';
import { readEvidenceFile } from '../../../../services/io/read-file';
import { tsharkPackets, tsharkVersion } from '../../../helpers/tshark';

/**
 * Our capture reader against tshark, packet by packet: the same number of
 * packets, and for each its number, time to the nanosecond, length on the
 * wire, and outermost addresses and ports (tshark without IP reassembly, so a
 * non-first fragment has no ports in either). A packet without a time (a
 * pcapng Simple Packet Block) has none in tshark; our reader gives it the
 * previous packet's time (the epoch before any), which is checked as such.
 */
export interface PacketComparison {
  summary: ReadSummary;
  packets: number;
  /** At most 5 mismatching packets, described; empty when all agree. */
  mismatches: string[];
  mismatchCount: number;
}

export async function comparePackets(file: string): Promise<PacketComparison> {
  const ours: NetEvent[] = [];
  const { summary } = await readEvidenceFile(file, { onEvent: (ev) => ours.push({ ...ev, payload: undefined }) });
  const theirs = await tsharkPackets(file);
  const mismatches: string[] = [];
  let count = 0;
  if (ours.length !== theirs.length || summary.records !== theirs.length) {
    mismatches.push(`packets: ours ${ours.length} (summary ${summary.records}), tshark ${theirs.length}`);
    count++;
  }
  let prevNs = 0n;
  for (let i = 0; i < Math.min(ours.length, theirs.length); i++) {
    const t = theirs[i];
    const o = ours[i];
    const expectNs = t.tsNs ?? prevNs;
    prevNs = expectNs;
    const ourNs = BigInt(o.ts) * 1000n + BigInt(o.tsNanos ?? 0);
    const same = o.source.packet === t.number && ourNs === expectNs && o.length === t.length
      && o.src === t.src && o.dst === t.dst && o.sport === t.sport && o.dport === t.dport;
    if (same) continue;
    count++;
    if (mismatches.length < 5) {
      mismatches.push(`#${t.number}: tshark ${t.src}:${t.sport} > ${t.dst}:${t.dport} len ${t.length} @${t.tsNs ?? '(no time)'}, `
        + `ours #${o.source.packet} ${o.src}:${o.sport} > ${o.dst}:${o.dport} len ${o.length} @${ourNs}`);
    }
  }
  const timed = theirs.filter((p) => p.ts !== undefined).map((p) => p.ts!);
  if (timed.length > 0 && (summary.firstTs !== Math.min(...timed) || summary.lastTs !== Math.max(...timed))) {
    mismatches.push(`span: ours ${summary.firstTs}..${summary.lastTs}, tshark ${Math.min(...timed)}..${Math.max(...timed)}`);
    count++;
  }
  return { summary, packets: theirs.length, mismatches, mismatchCount: count };
}

/** The packet differential for a list of captures, shared by the unit tier (a sample) and the slow tier (all). */
export function definePacketDifferential(title: string, files: string[]): void {
  describe(title, () => {
    it('has tshark (required; .ci/run installs it)', ({ expect }) => {
      expect(tsharkVersion()).toMatch(/^TShark/);
    });
    describe.concurrent('each capture', () => {
      for (const file of files) {
        it(basename(file), async ({ expect }) => {
          const r = await comparePackets(file);
          expect(r.summary.error).toBeUndefined();
          expect(r.mismatches, `${r.mismatchCount} of ${r.packets} packets differ`).toEqual([]);
        });
      }
    });
  });
}
