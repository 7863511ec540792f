import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, parseRequest, type ChannelName, type RequestOf } from '../../../electron/common/contract';
import { EVENT_NAMES } from '../../../electron/common/events';
const good = { complaintText: 'Subject: scan\n198.51.100.7 scanned us', evidence: ['/tmp/a.pcap'], ourNets: ['198.51.100.0/24', '2001:db8::/32'] };

const imap = { host: 'imap.example.net', port: 993, tls: true, user: 'abuse', folder: 'INBOX', markSeen: true, intervalMinutes: 5 };

/**
 * Per channel: what the malformed request gets wrong, a request the contract
 * must accept, one it must refuse, and the field the refusal must name. Typed
 * against the contract, so a new channel without an entry does not compile.
 */
const REQUESTS: { [C in ChannelName]: readonly [string, RequestOf<C>, unknown, RegExp] } = {
  'app:info': ['an unknown key', {}, { verbose: true }, /verbose/],
  'analysis:start': ['a bad network', good, { ...good, ourNets: ['10.0.0.0/8', 'x'] }, /ourNets\.1/],
  'analysis:cancel': ['a numeric job id', { jobId: 'j1' }, { jobId: 7 }, /jobId/],
  'evidence:describe': ['NUL in the path', { path: '/tmp/a.pcap' }, { path: '/tmp/a\0b' }, /path/],
  'settings:get': ['an unknown key', {}, { anything: 1 }, /anything/],
  'settings:set': ['an unknown theme', { ourNets: ['10.0.0.0/8'], theme: 'dark' }, { theme: 'neon' }, /theme/],
  'dialog:openEvidence': ['a path from the renderer', {}, { path: '/etc/passwd' }, /path/],
  'dialog:openComplaint': ['a path from the renderer', {}, { path: '/etc/passwd' }, /path/],
  'draft:save': ['an unknown format', { format: 'eml', subject: 'Re: scan', body: 'Hello', to: 'abuse@example.net' }, { format: 'pdf', subject: '', body: '' }, /format/],
  'store:info': ['an unknown key', {}, { dataDir: '/' }, /dataDir/],
  'store:backup': ['a target chosen by the renderer', {}, { to: '/tmp' }, /to/],
  'cases:list': [
    'a date that is not ISO',
    { status: ['new'], verdict: ['compromise'], from: '2025-12-18', to: 1_766_000_000_000, accused: '198.51.100.0/24', reporterDomain: 'Example.NET', tag: 'vip', limit: 50, offset: 0 },
    { from: '18.12.2025' }, /from/,
  ],
  'cases:search': ['a blank query', { query: 'scan', limit: 10 }, { query: '   ' }, /query/],
  'cases:get': ['id 0', { id: 1 }, { id: 0 }, /id/],
  'cases:verifyEvidence': ['a fractional id', { id: 2 }, { id: 1.5 }, /id/],
  'cases:related': ['an id as text', { id: 3 }, { id: '3' }, /id/],
  'cases:hostHistory': ['a host name', { address: '198.51.100.7' }, { address: 'example.com' }, /address/],
  'cases:setStatus': ['an unknown status', { id: 1, status: 'closed' }, { id: 1, status: 'done' }, /status/],
  'cases:tag': ['a control character in a tag', { id: 1, add: ['vip'], remove: ['old'] }, { id: 1, add: ['bad\u0007tag'] }, /add\.0/],
  'cases:addNote': ['a blank note', { id: 1, body: 'called them' }, { id: 1, body: '   ' }, /body/],
  'cases:saveDraft': ['an over-long subject', { id: 1, subject: 'Re: scan', body: 'Hello' }, { id: 1, subject: 's'.repeat(999), body: 'b' }, /subject/],
  'cases:markSent': ['no draft id', { id: 1, draftId: 2 }, { id: 1 }, /draftId/],
  'cases:reanalyze': ['a negative id', { id: 1 }, { id: -1 }, /id/],
  'cases:export': ['no id', { id: 1 }, {}, /id/],
  'cases:import': ['an empty reference', { ref: `upload:${'0'.repeat(32)}` }, { ref: '' }, /ref/],
  'intake:importPaths': ['both paths and a dialog', { paths: ['/tmp/abuse.mbox'] }, { paths: ['/tmp/abuse.mbox'], dialog: 'files' }, /exactly one of dialog, paths or uploads/],
  'imap:getAccount': ['an unknown key', {}, { password: 'x' }, /password/],
  'imap:setAccount': ['port 0', imap, { ...imap, port: 0 }, /port/],
  'imap:test': ['an account with a bad port', { account: { ...imap, password: 'on screen' } }, { account: { ...imap, port: 0 } }, /account\.port/],
  'imap:fetch': ['an unknown key', {}, { all: true }, /all/],
  'queue:list': ['an unknown class', { class: 'repeat', limit: 10 }, { class: 'urgent' }, /class/],
  'queue:bulk': ['an unknown action', { action: 'tag', caseIds: [1, 2], tag: 'batch' }, { action: 'delete', caseIds: [1] }, /action/],
  'queue:groupDraft': ['no cases', { caseIds: [1], subject: 'Re: scan', body: 'Hello {reporter}' }, { caseIds: [], subject: 's', body: 'b' }, /caseIds/],
  'reply:getSettings': ['an unknown key', {}, { file: '/etc/passwd' }, /file/],
  'reply:setSettings': [
    'a line break in the From address',
    { fromAddress: 'abuse@example.net', signature: 'NOC', smtp: { host: 'smtp.example.net', port: 587, security: 'starttls', user: 'desk', allowSelfSigned: false } },
    { fromAddress: 'abuse@example.net\r\nBcc: x@evil.example', signature: '', smtp: null }, /fromAddress/,
  ],
  'reply:compose': ['an unknown format', { format: 'eml', subject: 'Re: scan', body: 'Hello', caseId: 3 }, { format: 'html', subject: 's', body: 'b' }, /format/],
  'customers:info': ['an unknown key', {}, { path: '/etc/passwd' }, /path/],
  'customers:import': ['an empty list', { text: 'prefix,customer\n192.0.2.0/24,Lab', name: 'customers.csv' }, { text: '', name: 'x.csv' }, /text/],
  'customers:lookup': ['a host name', { addresses: ['192.0.2.1'] }, { addresses: ['example.com'] }, /addresses\.0/],
  'evidence:packet': ['packet 0', { caseId: 1, evidenceId: 2, packet: 17 }, { caseId: 1, evidenceId: 2, packet: 0 }, /packet/],
  'evidence:openInWireshark': ['a path for the evidence', { caseId: 1, evidenceId: 2, packet: 17 }, { caseId: 1, evidenceId: '/etc/passwd', packet: 1 }, /evidenceId/],
  'cases:findRepeat': ['an empty complaint', { complaintText: 'Subject: scan\n198.51.100.7' }, { complaintText: '' }, /complaintText/],
  'cases:acceptRun': ['a run id of 0', { id: 1, runId: 2 }, { id: 1, runId: 0 }, /runId/],
  'cases:addEvidence': ['no files', { id: 1, refs: ['/tmp/a.pcap'] }, { id: 1, refs: [] }, /refs/],
  'cases:removeEvidence': ['a reason with a control character', { id: 1, evidenceId: 3, reason: 'wrong link' }, { id: 1, evidenceId: 3, reason: 'a\u0007b' }, /reason/],
  'cases:excludeEvidence': ['excluded as a string', { id: 1, evidenceId: 3, excluded: true }, { id: 1, evidenceId: 3, excluded: 'yes' }, /excluded/],
  'reply:send': ['no confirmation', { caseId: 3, draftId: 4, subject: 'Re: scan', body: 'Hello', confirmed: true }, { caseId: 3, draftId: 4, subject: 's', body: 'b' }, /confirmed/],
  'templates:list': ['an unknown key', {}, { reportClass: 'spam' }, /reportClass/],
  'templates:get': ['an unknown class', { reportClass: 'spam', verdict: 'compromise' }, { reportClass: 'ddos', verdict: 'compromise' }, /reportClass/],
  'templates:set': ['an unknown placeholder', { reportClass: 'network-abuse', verdict: 'backscatter', subject: 'Re: {subject}', body: 'Dear {reporter}' },
    { reportClass: 'network-abuse', verdict: 'backscatter', subject: 'Re: {subject}', body: 'Dear {custmer}' }, /body: unknown placeholder \{custmer\}/],
  'templates:reset': ['a negative version', { reportClass: 'phishing', verdict: 'inconclusive', expectedVersion: 2 }, { reportClass: 'phishing', verdict: 'inconclusive', expectedVersion: -1 }, /expectedVersion/],
  'claims:claim': ['a take-over that is not a boolean', { id: 3, takeOver: true }, { id: 3, takeOver: 'yes' }, /takeOver/],
  'claims:release': ['no case', { id: 3 }, {}, /id/],
  'claims:get': ['a case id of zero', { id: 3 }, { id: 0 }, /id/],
  'desk:get': ['an unknown key', {}, { operator: 'x' }, /operator/],
  'desk:set': ['an operator name on two lines', { operator: 'Dana Ops', claimIdleMinutes: 30 }, { operator: 'dana\nops' }, /operator/],
  'templates:preview': ['no case', { reportClass: 'spam', verdict: 'inconclusive', subject: 's', body: 'b', caseId: 1 }, { reportClass: 'spam', verdict: 'inconclusive', subject: 's', body: 'b' }, /caseId/],
};

describe('contract schemas', () => {
  it('names channels domain:verb and events onX', () => {
    for (const c of CHANNEL_NAMES) expect(c).toMatch(/^[a-z]+:[a-z][A-Za-z]*$/);
    for (const e of EVENT_NAMES) expect(e).toMatch(/^on[A-Z]\w+$/);
  });

  it('accepts a well-formed analysis:start', () => {
    const r = parseRequest('analysis:start', good);
    expect(r.ok).toBe(true);
  });

  it.each([
    ['missing complaint', { ...good, complaintText: undefined }],
    ['empty complaint', { ...good, complaintText: '' }],
    ['evidence not an array', { ...good, evidence: '/etc/passwd' }],
    ['evidence with NUL', { ...good, evidence: ['/tmp/a\0b'] }],
    ['too many evidence files', { ...good, evidence: Array.from({ length: 33 }, (_, i) => `/tmp/${i}`) }],
    ['a bad CIDR', { ...good, ourNets: ['198.51.100.0/33'] }],
    ['a hostname as network', { ...good, ourNets: ['example.com'] }],
    ['an unknown key', { ...good, extra: 1 }],
    ['a prototype-pollution key', JSON.parse('{"__proto__": {"x": 1}, "complaintText": "x", "evidence": [], "ourNets": [], "constructor": 1}')],
    ['not an object', 'analysis please'],
    ['a huge complaint', { ...good, complaintText: 'x'.repeat(8 * 1024 * 1024 + 1) }],
  ])('rejects %s', (_why, req) => {
    const r = parseRequest('analysis:start', req);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bad_request');
  });

  it('validates every channel, with a message naming the field', () => {
    const r = parseRequest('settings:set', { ourNets: ['10.0.0.0/8', 'nope'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    if (!r.ok) expect(r.error.message).toContain('ourNets.1');
    expect(parseRequest('settings:set', { theme: 'neon' }).ok).toBe(false);
    expect(parseRequest('draft:save', { format: 'pdf', subject: '', body: '' }).ok).toBe(false);
    expect(parseRequest('analysis:cancel', { jobId: 7 }).ok).toBe(false);
    expect(parseRequest('settings:get', { anything: 1 }).ok).toBe(false);
    expect(parseRequest('settings:get', undefined).ok).toBe(true);
  });

  it('has a good and a malformed request below for every channel', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it.each(CHANNEL_NAMES.map((c) => [c, ...REQUESTS[c]] as const))('%s accepts a well-formed request and rejects %s', (c, _why, good, bad, field) => {
    expect(parseRequest(c, good)).toMatchObject({ ok: true });
    const r = parseRequest(c, bad);
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    if (!r.ok) expect(r.error.message).toMatch(field);
  });
});
