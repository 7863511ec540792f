import { describe, expect, it } from 'vitest';
import { findXarfYamlBlocks, isEventCsv, parseEventCsv, parseXarfJson, parseXarfYaml } from '../../../analysis/complaint/xarf';

describe('X-ARF 0.2 YAML', () => {
  const body = 'Hello\n\n---\nReported-From: abuse@example.org\nCategory: abuse\nReport-Type: login-attack\nService: ssh\nVersion: 0.2\nDate: Thu, 18 Dec 2025 01:40:00 +0100\nSource-Type: ip-address\nSource: 198.51.100.9\nPort: 22\nAttempts: 57\n\nlog lines follow';
  it('finds the block and maps it', () => {
    const blocks = findXarfYamlBlocks(body);
    expect(blocks).toHaveLength(1);
    const f = parseXarfYaml(blocks[0]);
    expect(f).toMatchObject({ accused: ['198.51.100.9'], destinationPorts: [22], activity: 'brute-force', count: 57, reporter: { address: 'abuse@example.org' } });
    expect(f.times).toEqual([{ text: 'Thu, 18 Dec 2025 01:40:00 +0100' }]);
  });
  it('ignores ordinary "---" separators and survives invalid YAML', () => {
    expect(findXarfYamlBlocks('---\nHello: world\n')).toEqual([]);
    const f = parseXarfYaml('Report-Type: info\nSource: 198.51.100.9\nBad: [unclosed\nCategory: x: y: z');
    expect(f.accused).toEqual(['198.51.100.9']);
  });
});

describe('X-ARF JSON', () => {
  it('v3 nested Source and AdditionalInfo', () => {
    const f = parseXarfJson({ Version: '3', ReporterInfo: { ReporterOrg: 'Org' }, Report: { ReportType: 'PortScan', Date: '2024-01-15T08:15:45Z', Source: { IP: '198.51.100.1', Port: 1234 }, AdditionalInfo: { DestinationIP: '192.0.2.5', DestinationPort: 80, Protocol: 'tcp' } } });
    expect(f).toMatchObject({ accused: ['198.51.100.1'], targets: ['192.0.2.5'], sourcePorts: [1234], destinationPorts: [80], protocol: 'tcp', activity: 'port-scan' });
  });
});

describe('event CSV', () => {
  it('Shadowserver columns, quoted fields, UTC times', () => {
    const csv = '"timestamp","ip","port","tag"\n"2015-01-01 00:00:01","198.51.100.4",445,"drone,botnet"\n';
    expect(isEventCsv(csv)).toBe(true);
    const f = parseEventCsv(csv, 'sinkhole_http_drone.csv');
    expect(f).toMatchObject({ accused: ['198.51.100.4'], sourcePorts: [445], activity: 'worm', times: [{ text: '2015-01-01 00:00:01', zone: 'UTC' }] });
    expect(isEventCsv('a,b\n1,2')).toBe(false);
  });

  it('a row cut short of its time column is read, dated at the start of its day (found by the complaint fuzz)', () => {
    const csv = 'ip,eventdate,eventtime\n198.51.100.4,2015-01-01\n198.51.100.5,2015-01-02,10:00:00\n';
    const f = parseEventCsv(csv);
    expect(f.accused).toEqual(['198.51.100.4', '198.51.100.5']);
    expect(f.times).toEqual([{ text: '2015-01-01 00:00:00' }, { text: '2015-01-02 10:00:00' }]);
  });
});
