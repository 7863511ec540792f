import { describe, expect, it } from 'vitest';
import { FirstSeen, TargetAnswers, answersFinding } from '../../../../analysis/detect/synflood/answers';
import { TCP_ACK, TCP_RST, TCP_SYN, type NetEvent } from '../../../../analysis/events/event';
import { borderEvents, SERVER, TARGET } from './border';

function answers(events: NetEvent[]): TargetAnswers {
  const a = new TargetAnswers();
  for (const e of events) {
    if (e.proto !== 6) continue;
    const f = e.tcpFlags ?? 0;
    if (e.src === SERVER && e.dst === TARGET) {
      a.outbound++;
      if ((f & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) a.addAnswer(e, true);
      else if (f & TCP_RST) a.addAnswer(e, false);
    } else if (e.src === TARGET && e.dst === SERVER && (f & (TCP_SYN | TCP_ACK)) === TCP_SYN) a.addSynFromTarget(e);
  }
  return a;
}

describe('our answers to the complainant', () => {
  it('seed001 www-border: 411 SYN-ACKs from port 80 to 137 ports of 192.0.2.66, every one answering a SYN forged with its address', async () => {
    const a = answers(await borderEvents());
    expect([a.answers, a.synAcks, a.outbound, a.answerPorts.size]).toEqual([411, 411, 411, 137]);
    expect(a.provoked()).toEqual({ provoked: 411 });
    const f = answersFinding(SERVER, TARGET, a, [{ port: 80, sources: 1580 }])!;
    expect(f.facts).toMatchObject({ answers: 411, synAcks: 411, rsts: 0, distinctPorts: 137, provoked: 411, servicePorts: [80], flags: ['SYN-ACK'] });
    expect(f.strength).toBe(0.95);
    expect(f.summary).toBe(`Everything ${SERVER} sent to ${TARGET} was 411 SYN-ACK answers from port 80 to 137 different ports; 411 of 411 answer a SYN that arrived carrying ${TARGET} as its source.`);
    expect(f.explanation).toContain('during a SYN flood from 1580 different source addresses');
    expect(f.evidence.length).toBeGreaterThan(6);
    expect(f.evidence.every((e) => e.excerpt.includes(TARGET))).toBe(true);
  });

  it('halves merged give the one pass; without a flood seen or with their own handshakes completed it weakens or says nothing', async () => {
    const events = await borderEvents();
    const one = answers(events);
    const x = answers(events.slice(0, 3000));
    x.merge(answers(events.slice(3000)));
    expect([x.answers, x.provoked(), x.answerPorts.size]).toEqual([one.answers, one.provoked(), one.answerPorts.size]);
    expect(answersFinding(SERVER, TARGET, one, [])!.strength).toBeCloseTo(0.75, 5);
    one.completedFromTarget = true;
    expect(answersFinding(SERVER, TARGET, one, [])).toBeUndefined();
    expect(answersFinding(SERVER, TARGET, new TargetAnswers(), [])).toBeUndefined();
  });

  it('FirstSeen orders keys by their earliest time, however they arrive or merge', () => {
    const a = new FirstSeen<number>(), b = new FirstSeen<number>();
    a.add(443, 50); a.add(80, 70); b.add(80, 10); b.add(22, 60);
    a.merge(b);
    expect([a.inTimeOrder(), a.size]).toEqual([[80, 443, 22], 3]);
  });
});
