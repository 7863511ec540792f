import { describe, expect, it } from 'vitest';
import { alarmsMatching, alarmsOf, claimedUnit, SENSOR_ALARMS } from '../../../analysis/sensors/alarms';

describe('the one table of sensors\' alarm thresholds', () => {
  it('holds no threshold twice', () => {
    const keys = SENSOR_ALARMS.map((a) => `${a.sensor}|${a.count}|${a.unit}|${a.level ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('every alarm is found by its own count, unit and sensor, and only of that sensor when one is named', () => {
    for (const a of SENSOR_ALARMS) {
      expect(alarmsMatching(a.count, a.unit, a.sensor)).toContain(a);
      expect(alarmsMatching(a.count, a.unit, a.sensor).every((b) => b.sensor === a.sensor)).toBe(true);
      expect(alarmsMatching(a.count + 0.5, a.unit, a.sensor)).toEqual([]);
    }
  });

  it('a count with no sensor named matches every sensor it fits; IPCop is its Snort', () => {
    expect(alarmsMatching(15, 'ports', undefined).map((a) => a.sensor)).toEqual(['snort', 'zeek']);
    expect(alarmsMatching(15, undefined, undefined).map((a) => a.sensor)).toEqual(['snort', 'zeek', 'psad']);
    expect(alarmsMatching(5, 'ports', 'ipcop')).toEqual(alarmsOf('snort').filter((a) => a.count === 5));
    expect(alarmsOf('ipcop')).toEqual(alarmsOf('snort'));
    expect(alarmsMatching(undefined, 'ports', undefined)).toEqual([]);
  });

  it('reads the unit written next to the count', () => {
    expect(claimedUnit('detected 21 ports scanned', 21)).toBe('ports');
    expect(claimedUnit('5 failed login attempts from', 5)).toBe('attempts');
    expect(claimedUnit('25 hosts probed', 25)).toBe('hosts');
    expect(claimedUnit('at 10.21 ports', 21)).toBeUndefined();
  });
});
