import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { firstLook } from '../../../analysis/triage/first-look';
import { casesDir } from '../../helpers/paths';
import { hasTool, requireTool } from '../../helpers/tools';
const dir = mkdtempSync(join(tmpdir(), 'triage-pull-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run a generated command with its placeholders replaced, in a shell, as an operator would paste it. */
function run(command: string, files: Record<string, string>): string {
  let cmd = command;
  for (const [k, v] of Object.entries(files)) cmd = cmd.replaceAll(k, v);
  return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('generated pull commands run against the synflood case capture', async () => {
  const caseDir = join(casesDir, 'seed001-synflood-backscatter');
  const pcap = join(caseDir, 'www-border.pcap');
  const c = await parseComplaint(execFileSync('cat', [join(caseDir, 'complaint.txt')]), { ourNets: ['198.51.100.0/24'] });
  const r = firstLook(c, { ourNets: ['198.51.100.0/24'] });
  const cmd = (tool: string, n = 0) => r.pull.filter((p) => p.tool === tool)[n].command;

  it('tshark -Y with the window selects the pair\'s packets', () => {
    requireTool('tshark');
    const out = run(cmd('tshark'), { FILE: pcap });
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    expect(out).toMatch(/2025-12-18 00:4\d:/);
    expect(lines.every((l) => l.includes('198.51.100.80') && l.includes('192.0.2.66'))).toBe(true);
  });

  it('tcpdump read filter and capture filter compile and select the same packets', () => {
    requireTool('tcpdump');
    const out = run(cmd('tcpdump', 0), { FILE: pcap });
    expect(out).toMatch(/^2025-12-18 00:4\d:\d\d\.\d+ .*198\.51\.100\.80\.80 > 192\.0\.2\.66\.\d+: Flags \[S\.\]/m);
    const capture = cmd('tcpdump', 1);
    const filter = /'([^']+)'$/.exec(capture)![1];
    execFileSync('tcpdump', ['-d', filter], { stdio: 'ignore' });
  });

  it('ra -t over an argus archive of the capture returns the flows in the window', () => {
    requireTool('argus');
    requireTool('ra');
    const archive = join(dir, 'border.argus');
    execFileSync('argus', ['-r', pcap, '-w', archive], { stdio: 'ignore' });
    const out = run(cmd('ra'), { ARGUS_ARCHIVE: archive });
    expect(out.trim().split('\n').length).toBeGreaterThan(100);
    expect(out).toMatch(/00:4\d:\d\d\.\d+ .* 192\.0\.2\.66\.\d+ +\S+ +198\.51\.100\.80\.80/);
    // The same filter a day off finds nothing: -t is honoured, in UTC.
    const dayOff = cmd('ra').replace(/2025\/12\/18/g, '2025/12/19');
    expect(run(dayOff, { ARGUS_ARCHIVE: archive }).trim().split('\n').length).toBeLessThanOrEqual(1);
  });

  it('journalctl and zgrep patterns match netfilter LOG lines either way and nothing else', () => {
    const jc = cmd('journalctl');
    expect(jc).toBe(`journalctl -k --utc --since "2025-12-18 00:25:00 UTC" --until "2025-12-18 00:55:00 UTC" | grep -E 'SRC=198\\.51\\.100\\.80 .*DST=192\\.0\\.2\\.66 |SRC=192\\.0\\.2\\.66 .*DST=198\\.51\\.100\\.80 '`);
    const pattern = new RegExp(/grep -E '([^']+)'/.exec(jc)![1]);
    expect(pattern.test('kernel: IN=eth0 SRC=198.51.100.80 DST=192.0.2.66 LEN=40')).toBe(true);
    expect(pattern.test('kernel: IN=eth0 SRC=192.0.2.66 DST=198.51.100.80 LEN=40')).toBe(true);
    expect(pattern.test('kernel: IN=eth0 SRC=198.51.100.80 DST=192.0.2.666 LEN=40')).toBe(false);
    expect(pattern.test('kernel: IN=eth0 SRC=198.51.100.8 DST=192.0.2.66 LEN=40')).toBe(false);
    expect(cmd('zgrep')).toContain('/var/log/kern.log*');
  });

  // journalctl comes with systemd, which CI containers lack: the only check here that may skip.
  const noJournal = hasTool('journalctl') ? '' : ' (skipped: journalctl is not installed; systemd\'s parsing of --since is not checked)';
  it.skipIf(noJournal !== '')(`journalctl accepts the generated --since time${noJournal}`, () => {
    const since = /--since "([^"]+)"/.exec(cmd('journalctl'))![1];
    // systemd accepts the "... UTC" form (an unparsable time exits 1 with "Failed to parse").
    const res = spawnSync('journalctl', ['-k', '--utc', '--since', since, '-n', '0'], { encoding: 'utf8' });
    expect(res.stderr).not.toMatch(/Failed to parse/);
  });
});
