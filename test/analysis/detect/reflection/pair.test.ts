import { describe, expect, it } from 'vitest';
import { MAX_SIGNATURES, ReflectionPair, Side } from '../../../../analysis/detect/reflection/pair';
import { requestShape } from '../../../../analysis/detect/reflection/services';
import type { NetEvent } from '../../../../analysis/events/event';
import { corpusEvents } from '../../decode/frames';

const US = '185.47.63.113';

/** The chargen exchange of the wireshark-wiki capture as one pair: their 14-byte request to port 19, our 1,024-byte answer. */
async function chargen(): Promise<{ pair: ReflectionPair; events: NetEvent[] }> {
  const events = (await corpusEvents('wireshark-wiki__chargen-udp.pcap')).map((d) => d.ev);
  const pair = new ReflectionPair();
  for (const e of events) {
    if (e.dst === US) pair.request(e, requestShape(e.dport!, e.payload, e.payloadLength ?? 0));
    else pair.answer(e);
  }
  return { pair, events };
}

describe('one reflected pair', () => {
  it('the chargen capture: one request of 14 bytes, one answer of 1,024, the request\'s TTL and kind', async () => {
    const { pair } = await chargen();
    expect([pair.requests.packets, pair.requests.bytes, pair.answers.packets, pair.answers.bytes, pair.answers.largest]).toEqual([1, 14, 1, 1024, 1024]);
    expect([...pair.ttls]).toEqual([[61, 1]]);
    expect([...pair.kinds.keys()]).toEqual(['CharGEN request']);
    expect(pair.requestPorts.count()).toBe(1);
    expect(pair.answerQuotes.events()).toHaveLength(1);
  });

  it('merges exactly: two pairs of the same traffic add up, the span is the union', async () => {
    const a = (await chargen()).pair, b = (await chargen()).pair;
    a.merge(b);
    expect([a.requests.packets, a.answers.bytes, [...a.ttls], [...a.kinds]]).toEqual([2, 2048, [[61, 2]], [['CharGEN request', 2]]]);
    const s = new Side();
    s.add(1, 10, 50, 60, 10);
    const t = new Side();
    t.add(2, 30, 20, 40, 25);
    s.merge(t);
    expect([s.packets, s.bytes, s.first, s.last, s.largest]).toEqual([3, 40, 20, 60, 25]);
  });

  it(`counts signatures one by one up to ${MAX_SIGNATURES}, the rest together`, () => {
    const p = new ReflectionPair();
    const ev = (i: number): NetEvent => ({ kind: 'packet', ts: i, src: '192.0.2.1', dst: US, sport: 1000 + i, dport: 53, ttl: 50, payloadLength: 30, source: { file: 'x', offset: i } });
    for (let i = 0; i < MAX_SIGNATURES + 10; i++) p.request(ev(i), { kind: 'DNS A query', signature: `q${i}` });
    expect([p.signatures.size, p.otherSignatures]).toEqual([MAX_SIGNATURES, 10]);
    expect(p.requestPorts.count()).toBeGreaterThan(MAX_SIGNATURES);
  });
});
