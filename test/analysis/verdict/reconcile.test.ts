import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../analysis/detect/detector';
import { reconcile } from '../../../analysis/verdict/reconcile';

const f = (id: string, facts: Finding['facts']): Finding => ({ id, detector: id, leaning: id === 'reflection-amplification' ? 'backscatter' : 'legitimate', strength: 0.8, summary: `${id}.`, evidence: [], facts });

describe('reconcile', () => {
  const reflection = f('reflection-amplification', { server: '198.51.100.53', target: '203.0.113.77', port: 53 });

  it('sets aside a UDP-only server-answering finding for the pair a reflection flood explains', () => {
    const answering = f('server-answering-clients', { server: '198.51.100.53', client: '203.0.113.77', tcpSessions: 0, udpSessions: 900 });
    const r = reconcile([answering, reflection]);
    expect(r.kept).toEqual([reflection]);
    expect(r.setAside[0].finding).toBe(answering);
    expect(r.setAside[0].why).toContain('reflection flood');
  });

  it('keeps server answering with TCP sessions, for another pair, or with no reflection at all', () => {
    const tcp = f('server-answering-clients', { server: '198.51.100.53', client: '203.0.113.77', tcpSessions: 4, udpSessions: 900 });
    const other = f('server-answering-clients', { server: '198.51.100.53', client: '203.0.113.9', tcpSessions: 0 });
    expect(reconcile([tcp, other, reflection]).kept).toHaveLength(3);
    expect(reconcile([other]).kept).toEqual([other]);
  });
});
