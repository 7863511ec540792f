/**
 * The default alarm thresholds of the sensors complainants run, from each
 * sensor's own source or shipped configuration. A complaint that states a
 * count equal to one of them ("21 ports scanned") is quoting the moment the
 * sensor tripped, not measuring how many hosts or clients were behind it.
 */

export type AlarmUnit = 'ports' | 'hosts' | 'packets' | 'attempts';

export interface SensorAlarm {
  /** The sensor's name as extractSensor() spells it. */
  sensor: string;
  count: number;
  unit: AlarmUnit;
  /** The setting's name and what it counts, without the number (the number is `count`). */
  rule: string;
  /** The window the count must fall in, when the sensor has a fixed one. */
  windowS?: number;
  /** The sensitivity level the threshold belongs to (sfPortscan's sense_level). */
  level?: string;
}

/** scanlogd 2.2 params.h: SCAN_WEIGHT_THRESHOLD; a new port below 1024 weighs PORT_WEIGHT_PRIV 3, others PORT_WEIGHT_HIGH 1. */
export const SCANLOGD_WEIGHT_THRESHOLD = 21;
export const SCANLOGD_PRIV_WEIGHT = 3;

export const SENSOR_ALARMS: SensorAlarm[] = [
  { sensor: 'scanlogd', count: SCANLOGD_WEIGHT_THRESHOLD, unit: 'ports', rule: 'SCAN_WEIGHT_THRESHOLD, reached by that many new ports of 1024 and above (weight 1 each) at most 3 s apart' },
  { sensor: 'scanlogd', count: SCANLOGD_WEIGHT_THRESHOLD / SCANLOGD_PRIV_WEIGHT, unit: 'ports', rule: 'SCAN_MIN_COUNT, reached by that many new ports below 1024 (weight 3 each) at most 3 s apart' },
  // Snort 2.9 sfPortscan, portscan.c PS_ALERT_CONF: port count per sense level (see analysis/detect/ids-replay.ts).
  { sensor: 'snort', count: 5, unit: 'ports', rule: 'sfPortscan "TCP Portscan" at sense level low', windowS: 60, level: 'low' },
  { sensor: 'snort', count: 15, unit: 'ports', rule: 'sfPortscan "TCP Portscan" at sense level medium', windowS: 90, level: 'medium' },
  { sensor: 'snort', count: 10, unit: 'ports', rule: 'sfPortscan "TCP Portscan" at sense level high', windowS: 600, level: 'high' },
  // Zeek policy/misc/scan.zeek.
  { sensor: 'zeek', count: 15, unit: 'ports', rule: 'scan.zeek port_scan_threshold, failed ports of one host', windowS: 300 },
  { sensor: 'zeek', count: 25, unit: 'hosts', rule: 'scan.zeek addr_scan_threshold, hosts failing on one port', windowS: 300 },
  // psad.conf defaults: DANGER_LEVEL1..5 in packets; DL1 is the lowest alerting level.
  { sensor: 'psad', count: 5, unit: 'packets', rule: 'DANGER_LEVEL1' },
  { sensor: 'psad', count: 15, unit: 'packets', rule: 'DANGER_LEVEL2' },
  { sensor: 'psad', count: 150, unit: 'packets', rule: 'DANGER_LEVEL3' },
  { sensor: 'psad', count: 1500, unit: 'packets', rule: 'DANGER_LEVEL4' },
  { sensor: 'psad', count: 10000, unit: 'packets', rule: 'DANGER_LEVEL5' },
  // fail2ban jail.conf [DEFAULT]: maxretry matching lines within findtime (10 min).
  { sensor: 'fail2ban', count: 5, unit: 'attempts', rule: 'maxretry, failed logins within findtime', windowS: 600 },
];

/** Sensors that run another's detection: IPCop's portscan alerts are its Snort's. */
const RUNS: Record<string, string> = { ipcop: 'snort' };

const UNIT_WORDS: Array<[RegExp, AlarmUnit]> = [
  [/^ports?$/i, 'ports'],
  [/^hosts?$/i, 'hosts'],
  [/^(?:packets?|probes?)$/i, 'packets'],
  [/^(?:attempts?|logins?|connections?|requests?)$/i, 'attempts'],
];

/** What the complaint's number counts, as written next to it ("21 ports scanned" -> ports). */
export function claimedUnit(text: string, count: number): AlarmUnit | undefined {
  const re = new RegExp(`(?<![\\d.:/-])\\b${count}[ \\t]+(?:(?:different|distinct|unique|tcp|udp|privileged|unprivileged|destination|target)[ \\t]+)?`
    + '(?:(?:failed|login|connection|ssh|authentication|unsuccessful)[ \\t]+){0,2}(ports?|attempts?|logins?|connections?|probes?|packets?|requests?|hosts?)\\b', 'i');
  const word = re.exec(text)?.[1];
  return word ? UNIT_WORDS.find(([w]) => w.test(word))?.[1] : undefined;
}

/**
 * The alarms a stated count equals: of the named sensor only when there is
 * one (a count that fits another sensor says nothing about this one), of any
 * sensor otherwise; of the stated unit when the complaint says what it counts.
 */
export function alarmsMatching(count: number | undefined, unit: AlarmUnit | undefined, sensor: string | undefined): SensorAlarm[] {
  if (count === undefined) return [];
  const name = sensor ? RUNS[sensor] ?? sensor : undefined;
  return SENSOR_ALARMS.filter((a) => a.count === count && (!unit || a.unit === unit) && (!name || a.sensor === name));
}

/** The alarms of one sensor, for describing it ("psad: DANGER_LEVEL1 at 5 packets"). */
export function alarmsOf(sensor: string): SensorAlarm[] {
  return SENSOR_ALARMS.filter((a) => a.sensor === (RUNS[sensor] ?? sensor));
}
