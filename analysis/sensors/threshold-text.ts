import { FAIL2BAN_THRESHOLD_TEXT } from './fail2ban';
import { PORTSENTRY_THRESHOLD_TEXT } from './portsentry';
import { PSAD_THRESHOLD_TEXT } from './psad';
import { SCANLOGD_THRESHOLD_TEXT } from './scanlogd';
import { SFPORTSCAN_THRESHOLD_TEXT } from './sfportscan';
import { SURICATA_THRESHOLD_TEXT } from './suricata';
import { ZEEK_THRESHOLD_TEXT } from './zeek-scan';

/** Each sensor's threshold in one sentence, by the name extractSensor() gives it (IPCop runs Snort). */
const TEXT: Record<string, string> = {
  scanlogd: SCANLOGD_THRESHOLD_TEXT,
  snort: SFPORTSCAN_THRESHOLD_TEXT,
  ipcop: SFPORTSCAN_THRESHOLD_TEXT,
  zeek: ZEEK_THRESHOLD_TEXT,
  psad: PSAD_THRESHOLD_TEXT,
  portsentry: PORTSENTRY_THRESHOLD_TEXT,
  fail2ban: FAIL2BAN_THRESHOLD_TEXT,
  suricata: SURICATA_THRESHOLD_TEXT,
};

/** The sensor's threshold in words, or '' for a sensor we know nothing about. */
export function thresholdText(sensor: string | undefined): string {
  return sensor && Object.hasOwn(TEXT, sensor) ? TEXT[sensor] : '';
}
