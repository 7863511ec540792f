import type { SensorAlarm } from './alarm';

/** psad.conf defaults: DANGER_LEVEL1..5 in packets; DL1 is the lowest alerting level. */
export const PSAD_ALARMS: SensorAlarm[] = [
  { sensor: 'psad', count: 5, unit: 'packets', rule: 'DANGER_LEVEL1' },
  { sensor: 'psad', count: 15, unit: 'packets', rule: 'DANGER_LEVEL2' },
  { sensor: 'psad', count: 150, unit: 'packets', rule: 'DANGER_LEVEL3' },
  { sensor: 'psad', count: 1500, unit: 'packets', rule: 'DANGER_LEVEL4' },
  { sensor: 'psad', count: 10000, unit: 'packets', rule: 'DANGER_LEVEL5' },
];

/** Its thresholds in one sentence, for the first look. */
export const PSAD_THRESHOLD_TEXT = `psad alarms on packets its iptables LOG rules recorded, by danger level (${PSAD_ALARMS.map((a) => `${a.rule} at ${a.count} ${a.unit}`).join(', ')})`;
