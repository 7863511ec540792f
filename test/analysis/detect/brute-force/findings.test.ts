import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceFinding, sprayFinding } from '../../../../analysis/detect/brute-force/findings';
import { flowSession } from '../../../../analysis/detect/brute-force/flows';
import { newService, type Service } from '../../../../analysis/detect/brute-force/tally';
import { loadEvents } from '../../../helpers/load-events';
import { corpusDir } from '../../../helpers/paths';

const GUESSER = '77.221.158.250';
const SERVER = '64.225.56.201';
const none = { sessionTableOverflow: 0, untrackedSessions: 0 };

/** The SSH sessions of one source in the rita conn.log (a real Internet SSH server, one hour), as flow-record sessions. */
async function ritaService(): Promise<Service> {
  const events = await loadEvents(join(corpusDir, 'zeek', 'rita__internet_host_2024-04-19_01h.conn.log'));
  const svc = newService(`${GUESSER}|${SERVER}|22`, GUESSER, SERVER, 22);
  for (const e of events) if (e.kind === 'flow' && e.src === GUESSER && e.dst === SERVER && e.dport === 22) svc.flows.add(flowSession(e));
  return svc;
}

describe('brute-force findings', () => {
  it('rita conn.log: 30 SSH sessions of one source, same size each, said from the flow records with the rhythm sentence', async () => {
    const f = serviceFinding(await ritaService(), none);
    expect(f).toMatchObject({ id: 'brute-force-sessions', detector: 'brute-force', leaning: 'compromise' });
    expect(f.summary).toMatch(new RegExp(`^${GUESSER} opened 30 SSH sessions \\(flow records\\) to ${SERVER}:22 in [\\d.]+ s \\(median [\\d.]+ s each\\)\\.$`));
    expect(f.explanation).toContain('The sessions were all about the same size in bytes');
    expect(f.explanation).toContain('The protocol is encrypted, so the capture cannot show the passwords, only the rhythm.');
    expect(f.facts).toMatchObject({ sessions: 30, established: 30, fromFlowRecords: true, bytesPerSessionSpread: 0, loginFailures: 0 });
    expect(f.facts).not.toHaveProperty('sessionTableOverflow');
    expect(f.evidence.length).toBe(12);
    expect(f.strength).toBe(0.8);
  });

  it('a table that overflowed or services left untracked are stated in the facts', async () => {
    const f = serviceFinding(await ritaService(), { sessionTableOverflow: 3, untrackedSessions: 7 });
    expect(f.facts).toMatchObject({ sessionTableOverflow: 3, untrackedSessions: 7 });
  });

  it('a spray over several hosts counts the attempts on each and names the hosts', async () => {
    const base = await ritaService();
    const hosts = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'];
    const list = hosts.map((dst) => {
      const s = newService(`${GUESSER}|${dst}|22`, GUESSER, dst, 22);
      s.flows.merge(base.flows);
      return s;
    });
    const f = sprayFinding(list, none);
    expect(f.id).toBe('brute-force-spray');
    expect(f.summary).toBe(`${GUESSER} opened 150 short SSH sessions (flow records) to 5 different hosts on port 22.`);
    expect(f.facts).toMatchObject({ targets: 5, sessions: 150, targetSample: hosts, fromFlowRecords: true });
    expect(f.strength).toBe(0.63);
  });
});
