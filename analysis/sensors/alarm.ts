/**
 * A sensor's default alarm threshold, as its source or shipped configuration
 * sets it. Each sensor's file lists its own; `alarms.ts` joins them into the
 * one table the first look and the reply read.
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
