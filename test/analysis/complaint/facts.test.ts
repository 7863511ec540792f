import { describe, expect, it } from 'vitest';
import { addUnique, decodeBase64, emptyFacts, toPort, toProtocol } from '../../../analysis/complaint/facts';

describe('report facts helpers', () => {
  it('an empty record of a format holds no addresses, ports, times or warnings', () => {
    expect(emptyFacts('x-arf')).toEqual({ format: 'x-arf', accused: [], targets: [], sourcePorts: [], destinationPorts: [], times: [], fields: {}, attachments: [], warnings: [] });
  });

  it('adds a value once and ignores a missing one', () => {
    const l: number[] = [];
    for (const v of [22, undefined, 22, null, 80]) addUnique(l, v);
    expect(l).toEqual([22, 80]);
  });

  it('takes ports as numbers or digit strings within 0-65535, nothing else', () => {
    expect([toPort(0), toPort(' 443 '), toPort('65535'), toPort(65536), toPort('-1'), toPort('80/tcp'), toPort(1.5), toPort(null)]).toEqual([0, 443, 65535, undefined, undefined, undefined, undefined, undefined]);
  });

  it('names TCP, UDP and ICMP by word or number', () => {
    expect(['TCP', ' udp ', '6', '17', '1', 'sctp', 6].map(toProtocol)).toEqual(['tcp', 'udp', 'tcp', 'udp', 'icmp', undefined, undefined]);
  });

  it('decodes base64 (standard and URL alphabets, across lines) without Node, and refuses anything else', () => {
    const bytes = (s: string) => Array.from(decodeBase64(s) ?? []);
    expect(bytes('U291cmNlLUlQOiAxOTIuMC4yLjIwMA==')).toEqual(Array.from(new TextEncoder().encode('Source-IP: 192.0.2.200')));
    expect(bytes('+/+/\r\n_-_-')).toEqual(bytes('+/+//+/+'));
    expect(decodeBase64('not base64!')).toBeNull();
    expect(decodeBase64('abcde')).toBeNull();
  });
});
