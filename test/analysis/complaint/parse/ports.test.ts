import { describe, expect, it } from 'vitest';
import { findAddresses } from '../../../../analysis/complaint/addresses';
import { emptyFacts } from '../../../../analysis/complaint/facts';
import { complaintPorts } from '../../../../analysis/complaint/parse/ports';
import { tcp } from '../../../helpers/events';

describe('complaint ports', () => {
  it('words, then address:port by role, then quoted lines from the accused, then report fields', () => {
    const text = 'from source port 53: 198.51.100.7:123 -> 203.0.113.9:443';
    const line = tcp({ src: '198.51.100.7', dst: '203.0.113.9', sport: 40000, dport: 22, ts: 1 });
    const theirs = tcp({ src: '203.0.113.9', dst: '198.51.100.7', sport: 8080, dport: 9090, ts: 2 });
    const report = { ...emptyFacts('csv'), sourcePorts: [5000], destinationPorts: [443, 6000] };
    const p = complaintPorts(text, findAddresses(text), [line, theirs], [report], ['198.51.100.7'], ['203.0.113.9']);
    expect(p.source).toEqual([53, 123, 40000, 5000]);
    expect(p.destination).toEqual([443, 22, 6000]);
    expect(p.ranges).toEqual([]);
  });

  it('a written range gives its ports and is kept as written', () => {
    const p = complaintPorts('to ports 20-22', [], [], [], [], []);
    expect(p.destination).toEqual([20, 21, 22]);
    expect(p.ranges).toHaveLength(1);
  });
});
