import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelName, EventArgs, EventName, Result } from '../../electron/common/contract';
import type { AbuseDeskApi, AnalysisResult, CaseDetail, CaseSummary, ImapAccountView, QueueClass, QueueItem } from '../../renderer/lib/types';
import { QUEUE_CLASSES } from '../../analysis/case-vocabulary';

type Handler = (request: unknown) => Result<unknown> | Promise<Result<unknown>>;

/** An AbuseDeskApi for tests: scripted replies, recorded calls, events fired by hand. */
export class FakeApi {
  host: 'electron' | 'browser';
  readonly calls: Array<{ channel: ChannelName; request: unknown }> = [];
  readonly handlers: Partial<Record<ChannelName, Handler>> = {};
  private readonly listeners = new Map<EventName, Set<(...args: unknown[]) => void>>();
  private jobSeq = 0;
  private uploadSeq = 0;

  constructor(host: 'electron' | 'browser' = 'browser') {
    this.host = host;
    this.handlers['app:info'] = () => ({ ok: true, value: { host, appVersion: '0.1.0', engineVersion: '0.1.0', nativeDialogs: host === 'electron' } });
    this.handlers['settings:get'] = () => ({ ok: true, value: { ourNets: ['198.51.100.0/24'], theme: 'system' } });
    this.handlers['settings:set'] = (r) => ({ ok: true, value: { ourNets: [], theme: 'system', ...(r as object) } });
    this.handlers['analysis:start'] = () => ({ ok: true, value: { jobId: `job${++this.jobSeq}` } });
    this.handlers['analysis:cancel'] = () => ({ ok: true, value: { cancelled: true } });
    this.handlers['evidence:describe'] = (r) => {
      const path = (r as { path: string }).path;
      return {
        ok: true,
        value: {
          ref: path, name: path.split('/').pop()!, format: 'pcap', size: 501096, records: 6864, linkTypes: ['ETHERNET'],
          firstTs: '2025-12-18T00:40:00.000Z', lastTs: '2025-12-18T00:41:02.955Z', timeInferred: false, warnings: [],
        },
      };
    };
    this.handlers['draft:save'] = () => ({ ok: false, error: { code: 'unsupported', message: 'not here' } });
    this.scriptCases();
  }

  /** Stored cases of the in-memory stand-in store, by id. */
  readonly cases = new Map<number, CaseDetail>();
  private rowSeq = 100;

  /** Add a stored case (a full CaseDetail with sensible defaults). */
  addCase(over: Partial<CaseDetail> = {}): CaseDetail {
    const id = over.id ?? this.cases.size + 1;
    const t = Date.UTC(2025, 11, 18, 0, 40);
    const d: CaseDetail = {
      id, createdAt: t, updatedAt: t, receivedAt: t, status: 'analysed', subject: `portscan from 198.51.100.${80 + id}`,
      reporterAddress: 'abuse@example.net', reporterName: 'Example NOC', reporterDomain: 'example.net', accused: [`198.51.100.${80 + id}`],
      verdict: 'backscatter', confidence: 0.98, tags: [], windowStart: t, windowEnd: t + 60_000,
      complaintName: 'pasted', complaintRaw: 'Subject: portscan\n<script>alert(1)</script> from 198.51.100.80', complaint: {} as CaseDetail['complaint'],
      fingerprint: 'f'.repeat(64), repeatOf: null, repeatedBy: [], acceptedRunId: null, targets: ['192.0.2.66'],
      evidence: [{
        id: ++this.rowSeq, caseId: id, sha256: 'a'.repeat(64), originalName: 'www-border.pcap', size: 501096, format: 'pcap',
        firstTs: t * 1000, lastTs: t * 1000 + 62e6, attachedAt: t, custody: 'unchecked', lastVerifiedAt: t, lastVerifiedOk: true, removedAt: null, excluded: false,
      }],
      runs: [],
      drafts: [{ id: ++this.rowSeq, caseId: id, version: 1, subject: 'Re: portscan', body: 'Hello,\nbackscatter.', origin: 'generated', runId: null, createdAt: t, sentAt: null }],
      notes: [],
      audit: [{ id: ++this.rowSeq, caseId: id, at: t, action: 'created', detail: 'complaint pasted received (text)' }],
      custodyProblem: false,
      ...over,
    };
    this.cases.set(id, d);
    return d;
  }

  private audit(d: CaseDetail, action: string, detail: string): void {
    d.audit.push({ id: ++this.rowSeq, caseId: d.id, at: Date.now(), action, detail });
  }

  /** cases:* and store:* against the in-memory cases (each test may override one). */
  private scriptCases(): void {
    const ok = <T>(value: T): Result<unknown> => ({ ok: true, value: structuredClone(value) });
    const missing = (id: number): Result<unknown> => ({ ok: false, error: { code: 'not_found', message: `There is no case ${id}.` } });
    const summary = (d: CaseDetail): CaseSummary => {
      const { id, createdAt, updatedAt, receivedAt, status, subject, reporterAddress, reporterName, reporterDomain, accused, verdict, confidence, tags, windowStart, windowEnd } = d;
      return { id, createdAt, updatedAt, receivedAt, status, subject, reporterAddress, reporterName, reporterDomain, accused, verdict, confidence, tags, windowStart, windowEnd };
    };
    const withCase = (r: unknown, fn: (d: CaseDetail) => Result<unknown>): Result<unknown> => {
      const d = this.cases.get((r as { id: number }).id);
      return d ? fn(d) : missing((r as { id: number }).id);
    };
    const newestFirst = () => [...this.cases.values()].sort((a, b) => b.id - a.id);
    this.handlers['store:info'] = () => ok({ available: true, dataDir: '/data' });
    this.handlers['store:backup'] = () => ok({ databasePath: '/data/backups/x/cases.sqlite', evidenceFiles: 1, bytes: 1000 });
    this.handlers['cases:list'] = (r) => {
      const f = r as { status?: string[]; verdict?: string[] };
      const items = newestFirst().filter((d) => (!f.status || f.status.includes(d.status)) && (!f.verdict || f.verdict.includes(d.verdict ?? ''))).map(summary);
      return ok({ items, offset: 0, limit: 50, hasMore: false });
    };
    this.handlers['cases:search'] = (r) => {
      const q = (r as { query: string }).query.toLowerCase();
      const items = newestFirst().filter((d) => d.complaintRaw.toLowerCase().includes(q) || (d.subject ?? '').toLowerCase().includes(q))
        .map((d) => ({ ...summary(d), snippet: `…a «${q}» here…` }));
      return ok({ items, offset: 0, limit: 50, hasMore: false });
    };
    this.handlers['cases:get'] = (r) => withCase(r, (d) => ok(d));
    this.handlers['cases:verifyEvidence'] = (r) => withCase(r, (d) => {
      for (const e of d.evidence) if (e.custody === 'unchecked') e.custody = 'verified';
      return ok(d);
    });
    this.handlers['cases:related'] = (r) => withCase(r, (d) => ok(newestFirst().filter((x) => x.id !== d.id)
      .map((x) => ({ case: summary(x), reasons: ['same-reporter'], sharedAddresses: [] }))));
    this.handlers['cases:hostHistory'] = (r) => {
      const address = (r as { address: string }).address;
      const cases = [...this.cases.values()].filter((d) => d.accused.includes(address)).map(summary);
      return ok({
        address, cases, firstSeen: cases[0]?.receivedAt ?? null, lastSeen: cases.at(-1)?.receivedAt ?? null,
        byVerdict: { backscatter: cases.length, legitimate: 0, compromise: 0, inconclusive: 0, none: 0 },
        byStatus: { new: 0, analysed: cases.length, replied: 0, closed: 0 },
      });
    };
    this.handlers['cases:setStatus'] = (r) => withCase(r, (d) => {
      const status = (r as { status: CaseDetail['status'] }).status;
      this.audit(d, 'status_changed', `status ${d.status} → ${status}`);
      d.status = status;
      return ok(d);
    });
    this.handlers['cases:tag'] = (r) => withCase(r, (d) => {
      const { add = [], remove = [] } = r as { add?: string[]; remove?: string[] };
      d.tags = [...new Set([...d.tags.filter((t) => !remove.includes(t)), ...add])].sort();
      return ok(d);
    });
    this.handlers['cases:addNote'] = (r) => withCase(r, (d) => {
      d.notes.push({ id: ++this.rowSeq, caseId: d.id, body: (r as { body: string }).body, createdAt: Date.now() });
      this.audit(d, 'note_added', 'note added');
      return ok(d);
    });
    this.handlers['cases:saveDraft'] = (r) => withCase(r, (d) => {
      const { subject, body } = r as { subject: string; body: string };
      const v = { id: ++this.rowSeq, caseId: d.id, version: d.drafts.length + 1, subject, body, origin: 'edited' as const, runId: null, createdAt: Date.now(), sentAt: null };
      d.drafts.push(v);
      this.audit(d, 'draft_saved', `draft version ${v.version} saved (edited)`);
      return ok(v);
    });
    this.handlers['cases:markSent'] = (r) => withCase(r, (d) => {
      const v = d.drafts.find((x) => x.id === (r as { draftId: number }).draftId);
      if (!v) return { ok: false, error: { code: 'not_found', message: 'no such draft' } };
      v.sentAt = Date.now();
      if (d.status === 'new' || d.status === 'analysed') d.status = 'replied';
      this.audit(d, 'draft_sent', `draft version ${v.version} marked sent`);
      return ok(v);
    });
    this.handlers['cases:reanalyze'] = (r) => withCase(r, (d) => ok(d));
    this.handlers['cases:export'] = () => ok({ saved: false });
    this.handlers['cases:import'] = () => ok({ caseId: 1, existed: true });
  }

  /** Queue fields per case id (class, reason, group); cases without one are not in the queue. */
  readonly queueInfo = new Map<number, { queueClass: QueueClass; rankReason: string; groupKey?: string | null; provisionalVerdict?: CaseDetail['verdict'] }>();
  imapAccount: ImapAccountView | null = null;

  /** Script the queue, intake and IMAP channels against the in-memory cases. */
  scriptQueue(): this {
    const ok = <T>(value: T): Result<unknown> => ({ ok: true, value: structuredClone(value) });
    const order: readonly QueueClass[] = QUEUE_CLASSES;
    // Repeat is a view across the classes, as in the store: the rows whose reason names other reports.
    const isRepeat = (i: QueueItem): boolean => /reports? about/.test(i.rankReason);
    const items = (): QueueItem[] => [...this.cases.values()]
      .filter((d) => d.status !== 'closed' && this.queueInfo.has(d.id))
      .map((d) => {
        const q = this.queueInfo.get(d.id)!;
        const { complaintRaw: _r, complaint: _c, complaintName: _n, fingerprint: _f, targets: _t, evidence: _e, runs: _u, drafts: _d, notes: _o, audit: _a, custodyProblem: _p, ...summary } = d;
        return {
          ...summary, queueClass: q.queueClass, rankScore: 0, rankReason: q.rankReason, provisionalVerdict: q.provisionalVerdict ?? null,
          provisionalConfidence: q.provisionalVerdict ? 0.8 : null, activity: 'portscan', groupKey: q.groupKey ?? null,
        };
      })
      .sort((a, b) => order.indexOf(a.queueClass) - order.indexOf(b.queueClass) || a.id - b.id);
    this.handlers['queue:list'] = (r) => {
      const cls = (r as { class?: QueueClass }).class;
      const all = items();
      const counts = Object.fromEntries(order.map((c) => [c, all.filter((i) => (c === 'repeat' ? isRepeat(i) : i.queueClass === c)).length])) as Record<QueueClass, number>;
      return ok({ items: all.filter((i) => !cls || (cls === 'repeat' ? isRepeat(i) : i.queueClass === cls)), offset: 0, limit: 100, hasMore: false, counts });
    };
    const fill = (id: number, t: string) => {
      const d = this.cases.get(id)!;
      return t.replace(/\{reporter\}/g, d.reporterName ?? '').replace(/\{accused\}/g, d.accused[0] ?? '').replace(/\{subject\}/g, d.subject ?? '')
        .replace(/\{quoted_lines\}/g, `line of case ${id}`).replace(/\{times\}/g, '2025-12-18 00:40:00 UTC');
    };
    this.handlers['queue:bulk'] = (r) => {
      const req = r as { action: string; caseIds: number[]; tag?: string; status?: CaseDetail['status']; subject?: string; body?: string };
      const changed: number[] = [];
      const drafts = [];
      for (const id of req.caseIds) {
        const d = this.cases.get(id);
        if (!d) return { ok: false, error: { code: 'not_found', message: `There is no case ${id}.` } };
        if (req.action === 'tag' && !d.tags.includes(req.tag!)) { d.tags = [...d.tags, req.tag!].sort(); changed.push(id); }
        if (req.action === 'status' && d.status !== req.status) { d.status = req.status!; changed.push(id); }
        if (req.action === 'reply') {
          const v = { id: ++this.rowSeq, caseId: id, version: d.drafts.length + 1, subject: fill(id, req.subject!), body: fill(id, req.body!), origin: 'edited' as const, runId: null, createdAt: Date.now(), sentAt: null };
          d.drafts.push(v);
          drafts.push(v);
          changed.push(id);
        }
      }
      return ok({ changed, unchanged: req.caseIds.filter((id) => !changed.includes(id)), ...(req.action === 'reply' ? { drafts } : {}) });
    };
    this.handlers['queue:groupDraft'] = (r) => {
      const req = r as { caseIds: number[]; subject: string; body: string };
      return ok(req.caseIds.map((id) => ({ caseId: id, subject: fill(id, req.subject), body: fill(id, req.body), to: this.cases.get(id)?.reporterAddress ?? null })));
    };
    this.handlers['intake:importPaths'] = (r) => {
      const n = ((r as { uploads?: string[]; paths?: string[] }).uploads ?? (r as { paths?: string[] }).paths ?? []).length;
      return ok({ messages: n, counts: { created: n, 'joined-thread': 0, 'joined-duplicate': 0, 'already-imported': 0 }, caseIds: [], warnings: [], aborted: false, cancelled: false });
    };
    this.handlers['imap:getAccount'] = () => ok(this.imapAccount);
    this.handlers['imap:setAccount'] = (r) => {
      const { password, clearPassword, ...rest } = r as ImapAccountView & { password?: string; clearPassword?: boolean };
      const has = clearPassword ? false : !!password || !!this.imapAccount?.hasPassword;
      this.imapAccount = { ...rest, hasPassword: has, passwordStorage: has ? 'aes-file' : 'none', lastFetch: null };
      return ok(this.imapAccount);
    };
    this.handlers['imap:test'] = () => ok({ folder: this.imapAccount?.folder ?? 'INBOX', messages: 12, newMessages: 3 });
    this.handlers['imap:fetch'] = () => ok({ messages: 3, counts: { created: 2, 'joined-thread': 1, 'joined-duplicate': 0, 'already-imported': 0 }, caseIds: [], warnings: [], aborted: false });
    return this;
  }

  async invoke(channel: ChannelName, request: unknown): Promise<Result<unknown>> {
    this.calls.push({ channel, request });
    const h = this.handlers[channel];
    if (!h) return { ok: false, error: { code: 'unsupported', message: `${channel} not scripted` } };
    return h(request);
  }

  async evidenceFromFile(file: File, onProgress?: (done: number, total: number) => void) {
    onProgress?.(file.size, file.size);
    const ref = `upload:${(++this.uploadSeq).toString(16).padStart(32, '0')}`;
    return { ok: true as const, value: { ref, name: file.name, size: file.size } };
  }

  on(event: EventName, l: (...args: unknown[]) => void): () => void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(l);
    return () => this.listeners.get(event)!.delete(l);
  }

  emit<E extends EventName>(event: E, ...args: EventArgs<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }

  callsTo(channel: ChannelName): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }

  /** The object the app takes. */
  get api(): AbuseDeskApi {
    const host = () => this.host;
    return {
      get host() { return host(); },
      invoke: (c: ChannelName, r: unknown) => this.invoke(c, r),
      evidenceFromFile: (f: File, p?: (d: number, t: number) => void) => this.evidenceFromFile(f, p),
      onProgress: (l: (...a: unknown[]) => void) => this.on('onProgress', l),
      onResult: (l: (...a: unknown[]) => void) => this.on('onResult', l),
      onJobError: (l: (...a: unknown[]) => void) => this.on('onJobError', l),
      onEngineRestarted: (l: (...a: unknown[]) => void) => this.on('onEngineRestarted', l),
      onQueueChanged: (l: (...a: unknown[]) => void) => this.on('onQueueChanged', l),
      onStoreChanged: (l: (...a: unknown[]) => void) => this.on('onStoreChanged', l),
    } as unknown as AbuseDeskApi;
  }
}

// jsdom gives import.meta.url an http: scheme, so resolve from the project root vitest runs in.
const fixtures = join(process.cwd(), 'test/fixtures/results/');

/** A real engine result from test/fixtures/results (see its README). */
export function loadResult(name: string): AnalysisResult {
  return JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8')) as AnalysisResult;
}
