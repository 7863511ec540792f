import { describe, expect, it } from 'vitest';
import { activityFromType, classifyActivity, extractClaimedCount, extractPorts, extractProtocol, extractSensor } from '../../../analysis/complaint/extract';

describe('extractPorts', () => {
  it('tells source from destination ports and counts from ports', () => {
    expect(extractPorts('from your host (source port 80) to us: 137 ports scanned')).toEqual({ source: [80], destination: [], ranges: [] });
    expect(extractPorts('bursts of UDP from X source port 770 to the broadcast address').source).toEqual([770]);
    expect(extractPorts('hits on port 22, 23 and 3389').destination).toEqual([22, 23, 3389]);
    expect(extractPorts('SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=80 DPT=4431')).toMatchObject({ source: [80], destination: [4431] });
    expect(extractPorts('probes of 445/tcp and udp/137')).toMatchObject({ destination: [445, 137] });
    const wide = extractPorts('ports 1-65535');
    expect(wide.ranges).toEqual([{ from: 1, to: 65535, side: 'destination' }]);
    expect(wide.destination).toEqual([1, 65535]);
    expect(extractPorts('Report-ID: 123 Support 44 Transport 12').destination).toEqual([]);
  });
});

describe('activity, protocol, counts, sensor', () => {
  it('classifies by keywords, subject first', () => {
    expect(classifyActivity('portscan from 1.2.3.4', '')).toBe('port-scan');
    expect(classifyActivity('', 'a SYN flood against our web server')).toBe('flood');
    expect(classifyActivity('', 'a ping sweep of our /24')).toBe('sweep');
    expect(classifyActivity('', '412 failed login attempts via ssh')).toBe('brute-force');
    expect(classifyActivity('possible worm on 1.2.3.4', 'scanning')).toBe('worm');
    expect(classifyActivity('', 'phishing site hosted')).toBe('spam');
    expect(classifyActivity('', 'copyright notice')).toBe('other');
    expect(activityFromType('login-attack')).toBe('brute-force');
    expect(activityFromType('DOS')).toBe('flood');
    expect(activityFromType('OpenService')).toBe('other');
  });

  it('protocol, claimed counts and sensors', () => {
    expect(extractProtocol('bursts of UDP to the broadcast')).toBe('udp');
    expect(extractProtocol('SYN packets')).toBe('tcp');
    expect(extractProtocol('nothing')).toBeUndefined();
    expect(extractClaimedCount('detected a portscan: 21 ports scanned in 3 seconds')).toBe(21);
    expect(extractClaimedCount('Source: 10.0.2.150\nPort: 80')).toBeUndefined();
    expect(extractSensor('His IPCop/ Snort IDS had reported')).toBe('ipcop');
    expect(extractSensor('psad: scan detected')).toBe('psad');
    expect(extractSensor('Zeek notice')).toBe('zeek');
  });
});
