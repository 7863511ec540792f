import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../helpers/paths';
import { requireTool } from '../../helpers/tools';

/** The argus fixtures are argus's own output for web-flood.pcap, by the commands in test/fixtures/argus/README.md. */
describe('web-flood argus fixtures', () => {
  it('argus and ra still print test/fixtures/argus/web-flood.ra-*.txt for web-flood.pcap', () => {
    requireTool('argus');
    requireTool('ra');
    const out = join(mkdtempSync(join(tmpdir(), 'web-flood-')), 'web-flood.argus');
    execFileSync('argus', ['-X', '-r', join(fixturesDir, 'pcap', 'web-flood.pcap'), '-w', out]);
    const ra = (...args: string[]): string => execFileSync('ra', ['-n', ...args, '-r', out, '-', 'not', 'man'], { env: { ...process.env, TZ: 'UTC' }, encoding: 'utf8' });
    expect(ra()).toBe(readFileSync(join(fixturesDir, 'argus', 'web-flood.ra-default.txt'), 'utf8'));
    expect(ra('-u', '-s', 'stime', 'dur', 'flgs', 'proto', 'saddr', 'sport', 'dir', 'daddr', 'dport', 'spkts', 'dpkts', 'sbytes', 'dbytes', 'state'))
      .toBe(readFileSync(join(fixturesDir, 'argus', 'web-flood.ra-long.txt'), 'utf8'));
  });
});
