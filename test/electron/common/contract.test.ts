import { afterAll, describe, expect, it } from 'vitest';
import { isAddressOrCidr } from '../../../electron/common/address-syntax';
import { CHANNEL_NAMES, parseRequest, type ChannelName, type RequestOf } from '../../../electron/common/contract';
import { renderDraftFile } from '../../../electron/common/draft-file';
import type { EngineHost } from '../../../host/engine-host';
import { EVENT_NAMES } from '../../../electron/common/events';
import { CHANNEL_LIST } from '../../../electron/common/channel-names';
import { createHandlers, dispatch } from '../../../host/handlers';
import { checkSender, originOf, type SenderPolicy } from '../../../electron/main/sender-check';
import { SettingsStore } from '../../../host/settings-store';
import { resolveStatic } from '../../../host/static-files';
import { ProgressThrottle } from '../../../electron/engine/throttle';
import { sanitizeFileName } from '../../../host/serve/uploads';
import { tempDir } from '../helpers';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

  it('checks address syntax', () => {
    for (const s of ['198.51.100.0/24', '198.51.100.7', '0.0.0.0/0', '2001:db8::/32', '::1', '::', '::ffff:192.0.2.1', 'fe80::1:2:3:4/64', '1:2:3:4:5:6:7:8'])
      expect(isAddressOrCidr(s), s).toBe(true);
    for (const s of ['', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4/', '1.2.3.4/33', '2001:db8::/129', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', 'localhost', '1.2.3.4/24/1'])
      expect(isAddressOrCidr(s), s).toBe(false);
  });
});

describe('dispatch', () => {
  const settingsDir = tempDir('ad-contract-');
  afterAll(() => settingsDir.remove());
  const engine = {
    startAnalysis: () => ({ jobId: 'j1' }),
    cancel: () => false,
    engineVersion: async () => '9.9.9',
  } as unknown as EngineHost;
  const handlers = createHandlers({
    engine,
    settings: new SettingsStore(settingsDir.dir),
    info: { host: 'browser', appVersion: '1.0.0', nativeDialogs: false },
    resolveEvidence: async (ref) => ({ path: ref, name: 'x' }),
  });

  it('answers unknown channels and bad arguments with a Result, never a throw', async () => {
    expect(await dispatch(handlers, 'fs:readFile', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch(handlers, 'analysis:start', { evidence: 5 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch(handlers, 'analysis:start', good)).toEqual({ ok: true, value: { jobId: 'j1' } });
    expect(await dispatch(handlers, 'app:info', {})).toEqual({ ok: true, value: { host: 'browser', appVersion: '1.0.0', nativeDialogs: false, engineVersion: '9.9.9' } });
  });

  it('says unsupported for native dialogs without them', async () => {
    expect(await dispatch(handlers, 'dialog:openEvidence', {})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('stores settings', async () => {
    expect(await dispatch(handlers, 'settings:get', {})).toEqual({ ok: true, value: { ourNets: [], theme: 'system' } });
    await dispatch(handlers, 'settings:set', { ourNets: ['198.51.100.0/24'] });
    await dispatch(handlers, 'settings:set', { theme: 'dark' });
    expect(new SettingsStore(settingsDir.dir).get()).toEqual({ ourNets: ['198.51.100.0/24'], theme: 'dark' });
    writeFileSync(join(settingsDir.dir, 'settings.json'), '{"ourNets": ["not a net"]');
    expect(new SettingsStore(settingsDir.dir).get()).toEqual({ ourNets: [], theme: 'system' });
  });
});

describe('sender check', () => {
  const policy: SenderPolicy = { webContentsIds: [3], origins: ['app://abuse-desk'] };
  const ok = { webContentsId: 3, frameUrl: 'app://abuse-desk/index.html', isMainFrame: true };

  it('accepts our window main frame on our origin', () => {
    expect(checkSender(ok, policy)).toEqual({ ok: true, value: undefined });
    expect(checkSender({ ...ok, frameUrl: 'APP://Abuse-Desk/deep/route?x#y' }, policy).ok).toBe(true);
  });

  it.each([
    ['another webContents', { ...ok, webContentsId: 4 }],
    ['a subframe', { ...ok, isMainFrame: false }],
    ['a destroyed frame', { ...ok, frameUrl: null }],
    ['a web page', { ...ok, frameUrl: 'https://evil.example/' }],
    ['a local file', { ...ok, frameUrl: 'file:///home/u/evil.html' }],
    ['a lookalike host', { ...ok, frameUrl: 'app://abuse-desk.evil/index.html' }],
    ['a userinfo trick', { ...ok, frameUrl: 'app://abuse-desk@evil/index.html' }],
    ['a data URL', { ...ok, frameUrl: 'data:text/html,<script>1</script>' }],
    ['about:blank', { ...ok, frameUrl: 'about:blank' }],
    ['garbage', { ...ok, frameUrl: 'not a url' }],
  ])('rejects %s', (_why, s) => {
    const r = checkSender(s, policy);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('accepts the dev server origin only when listed', () => {
    const dev = { ...ok, frameUrl: 'http://localhost:5173/' };
    expect(checkSender(dev, policy).ok).toBe(false);
    expect(checkSender(dev, { ...policy, origins: ['app://abuse-desk', 'http://localhost:5173'] }).ok).toBe(true);
    expect(originOf('http://localhost:5173/x')).toBe('http://localhost:5173');
  });
});

describe('static files', () => {
  const t = tempDir('ad-static-');
  afterAll(() => t.remove());
  mkdirSync(join(t.dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(t.dir, 'renderer', 'index.html'), '<!doctype html>');
  writeFileSync(join(t.dir, 'renderer', 'assets', 'a.js'), '1');
  writeFileSync(join(t.dir, 'secret.txt'), 'secret');
  const root = join(t.dir, 'renderer');

  it('serves files under the root', () => {
    expect(resolveStatic(root, '/')?.mime).toMatch(/text\/html/);
    expect(resolveStatic(root, '/assets/a.js')?.mime).toMatch(/javascript/);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/a%00.js', '/%E0%A4%A', '/assets'])('refuses %s', (p) => {
    expect(resolveStatic(root, p)).toBeUndefined();
  });
});

describe('progress throttle', () => {
  it('sends at most one per interval, the latest value, and file ends at once', async () => {
    let now = 0;
    const sent: Array<{ fileIndex: number; stage: string; n: number }> = [];
    const t = new ProgressThrottle<{ fileIndex: number; stage: string; n: number }>((p) => sent.push(p), 200, () => now);
    for (let i = 0; i < 100; i++) { now = i * 10; t.push({ fileIndex: 0, stage: 'decoding', n: i }); }
    // 0..990 ms: one at 0, then every 200 ms
    expect(sent.map((p) => p.n)).toEqual([0, 20, 40, 60, 80]);
    t.push({ fileIndex: 0, stage: 'done', n: 100 });
    expect(sent.at(-1)).toMatchObject({ stage: 'done', n: 100 });
    t.stop();
  });
});

describe('draft files', () => {
  it('writes an unsent RFC 5322 message with encoded non-ASCII subject', () => {
    const f = renderDraftFile({ format: 'eml', subject: 'Re: Portscan von 198.51.100.7 – Rückmeldung', body: 'Hello\n.\nBye', to: 'abuse@example.net' });
    expect(f.fileName).toMatch(/\.eml$/);
    expect(f.content).toContain('X-Unsent: 1\r\n');
    expect(f.content).toMatch(/Subject: =\?UTF-8\?B\?/);
    expect(f.content).toContain('\r\n\r\nHello\r\n..\r\nBye\r\n');
    expect(renderDraftFile({ format: 'txt', subject: 'S', body: 'B' })).toMatchObject({ fileName: 'S.txt', content: 'Subject: S\n\nB' });
  });
});

describe('upload names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\x\\cap.pcap', 'cap.pcap'],
    ['.hidden', 'hidden'],
    ['', 'evidence'],
    ['..', 'evidence'],
    ['con.txt', 'evidence-con.txt'],
    ['a\u0000b\nc.log', 'a_b_c.log'],
    ['x'.repeat(300), 'x'.repeat(120)],
  ])('%j -> %j', (input, out) => {
    expect(sanitizeFileName(input)).toBe(out);
  });
});

describe('preload channel list', () => {
  it('matches the contract', () => {
    expect([...CHANNEL_LIST].sort()).toEqual([...CHANNEL_NAMES].sort());
  });
});
