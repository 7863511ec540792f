import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../helpers/paths';
import { webFloodPcap } from './web-flood-scenario';

describe('web-flood fixtures', () => {
  it('test/fixtures/pcap/web-flood.pcap is the scenario as written by pcap-writer', () => {
    const file = new Uint8Array(readFileSync(join(fixturesDir, 'pcap', 'web-flood.pcap')));
    expect(Buffer.compare(file, webFloodPcap())).toBe(0);
  });
});
