import type { SensorAlarm } from './alarm';

/** fail2ban jail.conf [DEFAULT]: maxretry matching lines within findtime (10 min). */
export const FAIL2BAN_ALARMS: SensorAlarm[] = [
  { sensor: 'fail2ban', count: 5, unit: 'attempts', rule: 'maxretry, failed logins within findtime', windowS: 600 },
];

/** Its threshold in one sentence, for the first look. */
export const FAIL2BAN_THRESHOLD_TEXT = `fail2ban bans after ${FAIL2BAN_ALARMS.map((a) => `${a.count} matching log lines within ${(a.windowS ?? 0) / 60} min (${a.rule})`).join('')}`;
