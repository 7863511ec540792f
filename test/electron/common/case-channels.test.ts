import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../electron/common/contract';

const message = (r: ReturnType<typeof parseRequest>): string => (r.ok ? '' : r.error.message);

describe('the case channels\' schemas', () => {
  it('attach 1 to 32 files by path or upload reference, never one with NUL', () => {
    expect(parseRequest('cases:addEvidence', { id: 1, refs: Array.from({ length: 32 }, (_, i) => `/tmp/${i}.pcap`) }).ok).toBe(true);
    expect(message(parseRequest('cases:addEvidence', { id: 1, refs: Array.from({ length: 33 }, (_, i) => `/tmp/${i}.pcap`) }))).toMatch(/refs/);
    expect(message(parseRequest('cases:addEvidence', { id: 1, refs: ['/tmp/a\0.pcap'] }))).toMatch(/NUL in path/);
  });

  it('a removal\'s reason is one line of at most 500 characters; ids are positive safe integers', () => {
    expect(parseRequest('cases:removeEvidence', { id: 1, evidenceId: 2, reason: 'r'.repeat(500) }).ok).toBe(true);
    expect(parseRequest('cases:removeEvidence', { id: 1, evidenceId: 2, reason: 'r'.repeat(501) }).ok).toBe(false);
    expect(message(parseRequest('cases:removeEvidence', { id: 1, evidenceId: 2, reason: 'two\nlines' }))).toMatch(/control characters/);
    expect(parseRequest('cases:acceptRun', { id: Number.MAX_SAFE_INTEGER + 1, runId: 1 }).ok).toBe(false);
    expect(parseRequest('cases:excludeEvidence', { id: 1, evidenceId: 2, excluded: false, extra: 1 }).ok).toBe(false);
  });

  it('asks for a repeat with the complaint as the operator pasted it, up to 8 MiB', () => {
    expect(parseRequest('cases:findRepeat', { complaintText: 'x'.repeat(8 * 1024 * 1024) }).ok).toBe(true);
    expect(parseRequest('cases:findRepeat', { complaintText: 'x'.repeat(8 * 1024 * 1024 + 1) }).ok).toBe(false);
  });
});
