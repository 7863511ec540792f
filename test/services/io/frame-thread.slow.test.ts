import { openSync, readSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffPcap } from '../../../analysis/ingest/capture/pcap';
import { allCaptures } from '../../helpers/captures';
import { expectSameBothWays } from '../../helpers/frame-thread-compare';
import { filesIn, fixturesDir } from '../../helpers/paths';

/**
 * Every classic pcap we have (the corpus, the example cases, our fixtures
 * with the truncated and corrupt ones) framed in a thread of its own gives
 * what framing it in the calling thread gives: all frames, and only the
 * frames of the two addresses of its first packet, as a case's would be.
 */

function isClassicPcap(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(4);
    return sniffPcap(head.subarray(0, readSync(fd, head, 0, 4, 0))) > 0;
  } finally {
    closeSync(fd);
  }
}

const pcaps = [...new Set([...allCaptures(), ...filesIn(fixturesDir, /\.pcap$/)])].filter(isClassicPcap);

describe('every classic pcap framed in a thread of its own, against framing it here', () => {
  it('has captures to compare', () => expect(pcaps.length).toBeGreaterThan(60));

  it.each(pcaps)('%s', async (path) => {
    const all = await expectSameBothWays(path);
    const first = all.events.find((e) => e.src !== undefined && e.dst !== undefined);
    if (first) await expectSameBothWays(path, [first.src!, first.dst!]);
  }, 60_000);
});
