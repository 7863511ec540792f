import { describe, expect, it } from 'vitest';
import { thresholdText } from '../../../analysis/sensors/threshold-text';

describe('a sensor\'s threshold in words', () => {
  it('names each known sensor\'s numbers from its own table', () => {
    expect(thresholdText('scanlogd')).toMatch(/^scanlogd alarms at weight 21 /);
    expect(thresholdText('zeek')).toMatch(/Port_Scan at 15 ports of one host/);
    expect(thresholdText('psad')).toBe('psad alarms on packets its iptables LOG rules recorded, by danger level (DANGER_LEVEL1 at 5 packets, '
      + 'DANGER_LEVEL2 at 15 packets, DANGER_LEVEL3 at 150 packets, DANGER_LEVEL4 at 1500 packets, DANGER_LEVEL5 at 10000 packets)');
    expect(thresholdText('fail2ban')).toBe('fail2ban bans after 5 matching log lines within 10 min (maxretry, failed logins within findtime)');
    expect(thresholdText('portsentry')).toMatch(/first connection to a port it watches/);
    expect(thresholdText('suricata')).toMatch(/no portscan preprocessor/);
  });

  it('IPCop is described by its Snort; an unknown or missing sensor gets nothing', () => {
    expect(thresholdText('ipcop')).toBe(thresholdText('snort'));
    expect(thresholdText('snort')).toMatch(/^Snort sfPortscan counts connection attempts/);
    expect(thresholdText('netfilter')).toBe('');
    expect(thresholdText('constructor')).toBe('');
    expect(thresholdText(undefined)).toBe('');
  });
});
