import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../electron/common/contract';

describe('the packet channels\' schemas', () => {
  it('name a packet as Wireshark numbers them, from 1 to the largest safe integer, in a case\'s evidence', () => {
    for (const c of ['evidence:packet', 'evidence:openInWireshark'] as const) {
      expect(parseRequest(c, { caseId: 1, evidenceId: 2, packet: 1 }).ok).toBe(true);
      expect(parseRequest(c, { caseId: 1, evidenceId: 2, packet: Number.MAX_SAFE_INTEGER }).ok).toBe(true);
      expect(parseRequest(c, { caseId: 1, evidenceId: 2, packet: 0 }).ok).toBe(false);
      expect(parseRequest(c, { caseId: 1, evidenceId: 2, packet: 1.5 }).ok).toBe(false);
      expect(parseRequest(c, { caseId: 1, evidenceId: 2, packet: 3, path: '/tmp/x.pcap' }).ok).toBe(false);
    }
  });
});
