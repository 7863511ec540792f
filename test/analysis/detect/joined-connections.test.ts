import { beforeEach, describe, expect, it } from 'vitest';
import { acknowledgesSent, judgeJoined, ourPortServes } from '../../../analysis/detect/joined-connections';
import { resetPacketNumbers, tcp } from '../../helpers/events';

beforeEach(() => resetPacketNumbers());

const SERVER = '198.51.100.20';
const CLIENT = '192.0.2.70';
const never = (): boolean => false;

/** Our segment from `port` to the client's `clientPort`. */
const ours = (seq: number, payloadLength: number, flags = 'A', port = 443, clientPort = 51000) =>
  tcp({ src: SERVER, dst: CLIENT, sport: port, dport: clientPort, flags, seq, ack: 7000, payloadLength });
/** The client's segment acknowledging `ack`. */
const theirs = (ack: number, flags = 'A', port = 443, clientPort = 51000) =>
  tcp({ src: CLIENT, dst: SERVER, sport: clientPort, dport: port, flags, seq: 7000, ack });

describe('acknowledgesSent', () => {
  it('takes the span from the lowest segment start to the highest end, SYN and FIN counting one each', () => {
    const sent = [ours(1000, 100), ours(1100, 100, 'FA')];
    expect(acknowledgesSent(1000, sent)).toBe(true);
    expect(acknowledgesSent(1201, sent)).toBe(true);
    expect(acknowledgesSent(1202, sent)).toBe(false);
    expect(acknowledgesSent(999, sent)).toBe(false);
    expect(acknowledgesSent(1, [ours(0, 0, 'SA')])).toBe(true);
  });

  it('holds across the wrap of the sequence space', () => {
    const sent = [ours(0xffff_ff00, 0x80), ours(0xffff_ff80, 0x100)];
    expect(acknowledgesSent(0x80, sent)).toBe(true);
    expect(acknowledgesSent(0x81, sent)).toBe(false);
    expect(acknowledgesSent(0xffff_fe00, sent)).toBe(false);
  });

  it('nothing with a sequence number, nothing acknowledged', () => {
    expect(acknowledgesSent(5, [])).toBe(false);
    expect(acknowledgesSent(5, [tcp({ src: SERVER, dst: CLIENT, sport: 443, dport: 51000, flags: 'A' })])).toBe(false);
  });
});

describe('ourPortServes', () => {
  it('our port below 1024 and theirs at or above it: ours is the service', () => {
    expect(ourPortServes(443, 51000, never)).toBe(true);
    expect(ourPortServes(80, 1024, never)).toBe(true);
  });

  it('two low ports, two high ports, FTP data (20), or theirs low: no guess', () => {
    expect(ourPortServes(443, 80, never)).toBe(false);
    expect(ourPortServes(8443, 51000, never)).toBe(false);
    expect(ourPortServes(20, 51000, never)).toBe(false);
    expect(ourPortServes(51000, 443, never)).toBe(false);
  });

  it('a high port our inventory lists as a service of the host counts', () => {
    expect(ourPortServes(8443, 51000, (p) => p === 8443)).toBe(true);
    expect(ourPortServes(8443, 443, (p) => p === 8443)).toBe(false);
  });
});

describe('judgeJoined', () => {
  it('our data from a service port, acknowledged by the client: opened by the client, the ports say so', () => {
    const proof = theirs(2460);
    const v = judgeJoined([ours(1000, 1460), proof], CLIENT, 443, 51000, never);
    expect(v).toEqual({ by: 'ports', proof });
  });

  it('the client may acknowledge bytes sent before the evidence began, up to where our next segment starts', () => {
    const proof = theirs(1000);
    expect(judgeJoined([proof, ours(1000, 1460)], CLIENT, 443, 51000, never)?.proof).toBe(proof);
  });

  it('an acknowledgement outside our sequence numbers proves nothing', () => {
    expect(judgeJoined([ours(1000, 1460), theirs(900_000)], CLIENT, 443, 51000, never)).toBeUndefined();
  });

  it('an ACK scan of our port: our reset takes its sequence number from their probe, so it is no proof', () => {
    // RFC 9293 §3.10.7.1: the reset to an ACK carries SEQ = the probe's ACK.
    const probe = theirs(0x1234_5678, 'A');
    const reset = ours(0x1234_5678, 0, 'R');
    expect(judgeJoined([probe, reset], CLIENT, 443, 51000, never)).toBeUndefined();
  });

  it('a reset from the client proves nothing either', () => {
    expect(judgeJoined([ours(1000, 1460), theirs(2460, 'RA')], CLIENT, 443, 51000, never)).toBeUndefined();
  });

  it('a SYN of ours or a SYN-ACK of theirs: we opened it', () => {
    expect(judgeJoined([ours(1000, 0, 'S'), theirs(1001, 'SA')], CLIENT, 443, 51000, never)).toBeUndefined();
    expect(judgeJoined([theirs(1001, 'SA'), ours(1001, 0, 'A')], CLIENT, 443, 51000, never)).toBeUndefined();
  });

  it('our SYN-ACK answered their SYN (before the evidence) and they acknowledged it: opened by them, whatever the ports', () => {
    const synAck = ours(5000, 0, 'SA', 9000, 51000);
    const ack = theirs(5001, 'A', 9000, 51000);
    expect(judgeJoined([synAck, ack], CLIENT, 9000, 51000, never)).toEqual({ by: 'syn-ack', proof: ack });
  });

  it('two high ports without a SYN-ACK: no guess, even when acknowledged', () => {
    expect(judgeJoined([ours(1000, 1460, 'A', 9000), theirs(2460, 'A', 9000)], CLIENT, 9000, 51000, never)).toBeUndefined();
  });
});
