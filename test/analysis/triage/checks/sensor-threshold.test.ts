import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../../analysis/complaint/parse-complaint';
import { firstLook } from '../../../../analysis/triage/first-look';
import { alarmsMatching, claimedUnit } from '../../../../analysis/sensors/alarms';
import { connLog, type ConnRow } from '../../detect/zeek-log';

const ourNets = ['198.51.100.0/24'];

/** The sensor-threshold note for a complaint text, or undefined when the check says nothing. */
async function note(text: string): Promise<string | undefined> {
  const c = await parseComplaint(new TextEncoder().encode(text), { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 1, 2) });
  return firstLook(c, { ourNets }).findings.find((f) => f.id === 'first-look-sensor-threshold')?.summary;
}

const scan = (count: string, sensor = ''): string =>
  `Subject: portscan\n\n${sensor}detected a portscan from 198.51.100.44:443 to 203.0.113.9: ${count} scanned in 4 seconds.\n`;

describe('sensor-threshold: a stated count equal to a sensor\'s default alarm threshold', () => {
  it('no sensor named: names every sensor whose threshold the count and unit equal', async () => {
    expect(await note(scan('21 ports'))).toMatch(/"21 ports" is exactly the default alarm threshold of scanlogd's SCAN_WEIGHT_THRESHOLD/);
    expect(await note(scan('7 ports'))).toMatch(/"7 ports" is exactly the default alarm threshold of scanlogd's SCAN_MIN_COUNT/);
    const fifteen = await note(scan('15 ports'));
    expect(fifteen).toMatch(/snort's sfPortscan "TCP Portscan" at sense level medium \(15 ports in 90 s\)/);
    expect(fifteen).toMatch(/zeek's scan\.zeek port_scan_threshold/);
    expect(await note(scan('25 hosts'))).toMatch(/"25 hosts" is exactly the default alarm threshold of zeek's scan\.zeek addr_scan_threshold/);
  });

  it('no sensor named and a count that is no threshold: nothing to say', async () => {
    expect(await note(scan('22 ports'))).toBeUndefined();
    expect(await note(scan('137 ports'))).toBeUndefined();
  });

  it('a named sensor: only its own thresholds count', async () => {
    // 21 is scanlogd's, not Snort's (IPCop runs Snort): the note describes Snort and claims no threshold.
    const ipcop21 = await note(scan('21 ports', 'Our IPCop '));
    expect(ipcop21).toMatch(/Reporter's sensor: ipcop/);
    expect(ipcop21).not.toMatch(/is exactly/);
    expect(await note(scan('15 ports', 'Our IPCop '))).toMatch(/"15 ports" is exactly the default alarm threshold of snort's sfPortscan "TCP Portscan" at sense level medium/);
    expect(await note(scan('15 ports', 'Our IPCop '))).not.toMatch(/zeek/);
    expect(await note(scan('21 ports', 'Our scanlogd '))).toMatch(/is exactly the default alarm threshold of scanlogd's/);
  });

  it('the unit must match: psad counts packets, not ports', async () => {
    expect(await note(scan('5 packets', 'psad '))).toMatch(/"5 packets" is exactly the default alarm threshold of psad's DANGER_LEVEL1/);
    expect(await note(scan('5 ports', 'psad '))).not.toMatch(/is exactly/);
  });

  it('reads the unit written next to the number', () => {
    expect(claimedUnit('21 unprivileged ports scanned', 21)).toBe('ports');
    expect(claimedUnit('5 failed login attempts', 5)).toBe('attempts');
    expect(claimedUnit('at 21:05 we saw 25 hosts', 21)).toBeUndefined();
    expect(alarmsMatching(5, undefined, undefined).map((a) => a.sensor).sort()).toEqual(['fail2ban', 'psad', 'snort']);
    expect(alarmsMatching(undefined, undefined, 'scanlogd')).toEqual([]);
  });
});

describe('sensor-threshold: conn.log lines a Zeek sensor\'s complaint quotes (scan.zeek Port_Scan at 15 failed ports of one host)', () => {
  /** Our host's connections to `ports` ports of 203.0.113.9, the first `failed` of them refused or unanswered, the rest completed. */
  const zeekComplaint = (ports: number, failed: number): string => {
    const rows: ConnRow[] = Array.from({ length: ports }, (_, i) => ({
      ts: 1_768_370_400 + i, orig: '198.51.100.44', origPort: 40000 + i, resp: '203.0.113.9', respPort: 1000 + i, origPkts: i % 2 ? 2 : 1, respPkts: i % 2 ? 0 : 1,
      ...(i < failed ? (i % 2 ? { state: 'S0', history: 'S' } : { state: 'REJ', history: 'Sr' }) : { state: 'SF', history: 'ShADadFf', origPkts: 6, respPkts: 4 }),
    }));
    // Quoted as the sensor wrote them, without the header block.
    const lines = connLog(rows).split('\n').filter((l) => l && !l.startsWith('#'));
    return `Subject: portscan\n\nOur Zeek sensor logged a port scan from your host 198.51.100.44:\n\n${lines.join('\n')}\n`;
  };
  const zeekSays = 'Reporter\'s sensor: zeek. Zeek scan.zeek counts only failed TCP connections: Port_Scan at 15 ports of one host, '
    + 'Address_Scan at one port on 25 hosts, within 5 minutes; completed sessions never count.';

  it('15 failed ports of one host could have tripped it', async () => {
    expect(await note(zeekComplaint(15, 15))).toBe(`${zeekSays} The quoted connections fail on 15 ports of one host: they could have tripped it.`);
  });

  it('14 failed ports and one completed session could not: completed sessions never count', async () => {
    expect(await note(zeekComplaint(15, 14))).toBe(`${zeekSays} The quoted connections fail on at most 14 ports of one host (needs 15): they could not have tripped it.`);
  });
});

describe('first look: could the named sensor have fired on the quoted lines', () => {
  const findings = async (text: string) => firstLook(await parseComplaint(new TextEncoder().encode(text), { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 0, 20) }), { ourNets }).findings;
  /** tcpdump -n lines as a complainant pastes them. */
  const line = (i: number, from: string, to: string, flags: string): string =>
    `2026-01-14 06:00:${String(i).padStart(2, '0')}.000000 IP ${from} > ${to}: Flags [${flags}], seq 1, win 512, length 0`;
  const snort = (n: number) => 'Subject: portscan\n\nOur Snort sensor reported a portscan from your host 198.51.100.7:\n'
    + Array.from({ length: n }, (_, i) => line(i, `198.51.100.7.${50000 + i}`, `192.0.2.66.${20 + i}`, 'S')).join('\n') + '\n';
  const sensor = async (text: string) => (await findings(text)).find((x) => x.id === 'first-look-sensor-threshold')!;

  it('sfPortscan: SYNs to 5 ports reach sense level low, 4 reach none', async () => {
    expect((await sensor(snort(5))).summary).toContain('The quoted lines show SYNs from us to 5 ports: enough for sense level low');
    expect((await sensor(snort(4))).summary).toContain('The quoted lines show SYNs from us to only 4 port(s): below every sense level');
  });

  it('a named sensor and no packet lines: says there is nothing to replay', async () => {
    const f = await sensor('Subject: portscan\n\nOur Snort sensor reported a portscan from your host 198.51.100.7 on 2026-01-14 06:00 UTC.\n');
    expect(f.summary).toMatch(/The complaint quotes no packet-level lines to replay\.$/);
  });
});
