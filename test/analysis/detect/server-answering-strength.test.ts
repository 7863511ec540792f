import { describe, expect, it } from 'vitest';
import { serverAnswering } from '../../../analysis/detect/server-answering';
import { makeContext } from '../../helpers/context';
import { tcp, tcpSession } from '../../helpers/events';

/**
 * Handshakes weigh for "legitimate clients" only when most sessions completed
 * one: more than 80% of them. Sessions are otherwise alike, so the strengths
 * of two cases differ by that bonus alone.
 */
const server = '198.51.100.10';
const client = '192.0.2.33';

function withHandshakes(completed: number, without: number) {
  const events = [];
  for (let i = 0; i < completed; i++) events.push(...tcpSession({ client, server, sport: 41000 + i, dport: 80, ts: 1_700_000_000 + i, bytes: 0 }));
  // A client that sends data on our SYN-ACK without acknowledging it: a session, but no handshake.
  for (let i = 0; i < without; i++) {
    const t = 1_700_000_100 + i;
    events.push(
      tcp({ src: client, dst: server, sport: 42000 + i, dport: 80, flags: 'S', ts: t }),
      tcp({ src: server, dst: client, sport: 80, dport: 42000 + i, flags: 'SA', ts: t + 0.01 }),
      tcp({ src: client, dst: server, sport: 42000 + i, dport: 80, flags: 'P', ts: t + 0.02, payloadLength: 20 }),
    );
  }
  const [f] = serverAnswering.detect(makeContext({ events, accused: [server], targets: [client] }));
  expect(f.id).toBe('server-answering-clients');
  return f;
}

describe('server-answering strength', () => {
  it('adds the handshake bonus above 80% completed handshakes, not at 80%', () => {
    const above = withHandshakes(9, 1);
    const at = withHandshakes(4, 1);
    expect(above.summary).toContain('(9 completed the three-way handshake)');
    expect(at.summary).toContain('(4 completed the three-way handshake)');
    expect(above.strength - at.strength).toBeCloseTo(0.15, 5);
  });
});
