import { describe, expect, it } from 'vitest';
import { answerFinding, requestExcerpt } from '../../../../analysis/detect/requested/finding';
import { matchPeer } from '../../../../analysis/detect/requested/match';
import { THEM, US } from '../requested-traffic';
import { activeFtpEvents, tableOf } from './table';

async function answered() {
  const t = tableOf(await activeFtpEvents());
  return matchPeer(THEM, t.named.get(THEM)!).answered[0];
}

describe('the answer-to-their-request finding', () => {
  it('active FTP: quotes their first command, counts our connections from port 20, and leans legitimate at full strength', async () => {
    const a = await answered();
    const f = answerFinding({ ...a, shapeUnmatched: 0, complete: true });
    expect(f).toMatchObject({ id: 'answer-to-their-request', detector: 'requested-by-them', leaning: 'legitimate', strength: 0.8 });
    expect(f.summary).toContain(`${THEM} asked our FTP server ${US} for active-mode data connections ("${a.requests[0].text}"`);
    expect(f.summary).toContain(`${a.requests.length} such commands in all`);
    expect(f.summary).toContain(`our ${a.answers.length} connections from port 20`);
    expect(f.facts).toMatchObject({ kind: 'ftp-active-data', count: a.answers.length, requests: 5, trigger: requestExcerpt(a.requests[0]) });
    expect(f.evidence.map((e) => e.ts)).toEqual([...f.evidence.map((e) => e.ts)].sort((x, y) => (x ?? 0) - (y ?? 0)));
    expect(f.evidence[0].excerpt).toContain(`"${a.requests[0].text}"`);
  });

  it('packets of ours that answer nothing weaken it and are said', async () => {
    const a = await answered();
    const n = a.answers.length;
    const f = answerFinding({ ...a, unmatched: n, unchecked: 1, shapeUnmatched: 0, complete: true });
    expect(f.strength).toBeCloseTo(0.25 + 0.55 * (n / (2 * n + 1)), 2);
    expect(f.summary).toContain(`; ${n + 1} other packets of ours to ${THEM} answer no request of theirs or was not checked.`);
  });
});
