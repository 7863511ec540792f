import { describe, expect, it } from 'vitest';
import { flowSessions } from '../../../../analysis/detect/flow-sessions';
import { FlowServer, FlowTarget, flowAnswersFinding, flowFloodFinding } from '../../../../analysis/detect/synflood/flow-records';
import { readFixture } from '../evidence';
import { COMPLAINANT, SERVER } from '../web-flood-scenario';

/** argus ra of web-flood.pcap: 34 records to port 80, 28 never completed (22 forged sources and the complainant's 6), 6 of a real client. */
async function folded() {
  const server = new FlowServer();
  const target = new FlowTarget();
  for (const s of flowSessions(await readFixture('argus/web-flood.ra-default.txt'))) {
    if (s.server === SERVER && s.proto === 6 && s.serverPort !== undefined) server.add(s);
    if (s.client === COMPLAINANT && s.server === SERVER) target.addTheirs(s);
  }
  return { server, target };
}

describe('SYN flood from flow records', () => {
  it('argus web-flood: port 80 is flooded, 28 of 34 attempts half-open from 23 sources', async () => {
    const { server } = await folded();
    const [p] = server.floods();
    expect([p.port, p.attempts, p.half, p.sourceCount()]).toEqual([80, 34, 28, 23]);
    const f = flowFloodFinding(SERVER, p);
    expect(f.facts).toMatchObject({ server: SERVER, port: 80, syns: 28, sources: 23, completed: 6, attempts: 34, fromFlowRecords: true });
    expect(f.summary).toMatch(/^198\.51\.100\.80 port 80 received a SYN flood: 28 connection attempts from 23 different source addresses in [\d.]+ s, 6 of 34 completed \(flow records\)\.$/);
  });

  it('the complainant\'s six records: attempts from six ports, all answered, none completed: backscatter', async () => {
    const { target } = await folded();
    expect([target.theirs, target.answered, target.clientPorts.size, target.established]).toEqual([6, 6, 6, false]);
    const f = flowAnswersFinding(SERVER, COMPLAINANT, target, [80])!;
    expect(f.strength).toBe(0.9);
    expect(f.facts).toMatchObject({ attempts: 6, answers: 6, distinctPorts: 6, servicePorts: [80], startedByUs: 0 });
    expect(flowAnswersFinding(SERVER, COMPLAINANT, target, [])!.strength).toBeCloseTo(0.65, 5);
  });

  it('halves merged give the one pass; an established record of theirs means no backscatter', async () => {
    const sessions = flowSessions(await readFixture('argus/web-flood.ra-default.txt')).filter((s) => s.server === SERVER && s.proto === 6);
    const a = new FlowServer(), b = new FlowServer();
    sessions.forEach((s, i) => (i % 2 ? a : b).add(s));
    a.merge(b);
    const p = a.ports.get(80)!;
    expect([p.attempts, p.half, p.sourceCount(), p.isFlood()]).toEqual([34, 28, 23, true]);
    const t = new FlowTarget();
    t.addTheirs({ ...sessions[0], established: true });
    expect(flowAnswersFinding(SERVER, COMPLAINANT, t, [80])).toBeUndefined();
  });
});
