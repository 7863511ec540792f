/**
 * The one table of the default alarm thresholds of the sensors complainants
 * run, joined from each sensor's own file. A complaint that states a count
 * equal to one of them ("21 ports scanned") is quoting the moment the sensor
 * tripped, not measuring how many hosts or clients were behind it.
 */
import type { AlarmUnit, SensorAlarm } from './alarm';
import { FAIL2BAN_ALARMS } from './fail2ban';
import { PSAD_ALARMS } from './psad';
import { SCANLOGD_ALARMS } from './scanlogd';
import { SFPORTSCAN_ALARMS } from './sfportscan';
import { ZEEK_ALARMS } from './zeek-scan';

export type { AlarmUnit, SensorAlarm } from './alarm';

/** In this order: the first match is the one a reply names. */
export const SENSOR_ALARMS: readonly SensorAlarm[] = [...SCANLOGD_ALARMS, ...SFPORTSCAN_ALARMS, ...ZEEK_ALARMS, ...PSAD_ALARMS, ...FAIL2BAN_ALARMS];

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
