/**
 * The contract's channel handlers, shared by the Electron main process and
 * `serve`; what differs between the two (dialogs, how an evidence reference
 * becomes a path) comes in as dependencies. No Electron import.
 */
import {
  isChannelName, parseRequest,
  type AppInfo, type ChannelName, type EvidenceRef, type ParsedRequestOf, type ResponseOf,
} from '../electron/common/contract';
import type { DraftFile } from '../electron/common/draft-file';
import { renderDraftFile } from '../electron/common/draft-file';
import type { EngineHost } from './engine-host';
import { CodedError, err, wrapResult, type Result } from '../electron/common/result';
import type { CaseRecorder, StoreHost } from './case-service';
import { previewGroupReply } from './group-reply';
import type { IntakeService } from './intake-service';
import type { SettingsStore } from './settings-store';
import type { ReplyService } from './reply-service';
import type { CustomerFile } from '../services/customers/customer-file';
import { PacketService } from './packet-service';
import type { WiresharkLauncher } from './wireshark';
import { TemplateService } from './template-service';
import { DeskService } from './desk-service';
import { DeskSettingsStore } from './desk-settings-store';

export interface Dialogs {
  openEvidence(): Promise<EvidenceRef[]>;
  openComplaint(): Promise<{ name: string; text: string } | null>;
  saveDraft(file: DraftFile): Promise<{ saved: boolean; path?: string }>;
  /** Mailboxes to import: .mbox/.eml files, or a Maildir / folder of .eml; [] when cancelled. */
  openMailboxes(kind: 'files' | 'folder'): Promise<string[]>;
}

/** Mail into cases: the service, and (Electron) how a path from the window becomes a mailbox path. */
export interface IntakeDeps {
  service: IntakeService;
  /** Electron: an absolute path to a file or folder (throws CodedError). Absent (serve): `paths` answer `unsupported`. */
  resolveMailboxPath?: (path: string) => Promise<string>;
}

/** The case history: the store, the recorder that saves every analysis, and where exports and backups go. */
export interface CaseDeps {
  stores: StoreHost;
  recorder: CaseRecorder;
  /**
   * Where to write a case bundle: a save dialog's answer in Electron (null when
   * cancelled), a fresh download folder in `serve` (with the path to GET it from).
   */
  exportTarget(suggestedName: string): Promise<{ path: string; download?: string } | null>;
  /** The folder a backup goes into (a new, empty one). */
  backupDir(): Promise<string>;
}

export interface HandlerDeps {
  engine: EngineHost;
  settings: SettingsStore;
  info: Omit<AppInfo, 'engineVersion'>;
  /** A path (Electron) or upload token (serve) to a readable file; throws CodedError('not_found' | 'forbidden'). */
  resolveEvidence(ref: string): Promise<{ path: string; name: string }>;
  /** Absent in the browser: the dialog channels answer `unsupported`. */
  dialogs?: Dialogs;
  /** Absent: the case channels answer `store_unavailable` and analyses are not saved. */
  cases?: CaseDeps;
  /** Absent: the intake and IMAP channels answer `store_unavailable`. */
  intake?: IntakeDeps;
  /** Absent: the reply channels answer `unsupported` and .eml files are written without From or threading. */
  reply?: ReplyService;
  /** The imported customer list (data folder); absent: the customer channels answer `unsupported`. */
  customers?: CustomerFile;
  /** Desktop only: Wireshark opened at a quoted packet; absent, `evidence:openInWireshark` answers `unsupported`. */
  wireshark?: WiresharkLauncher;
  /** The reply templates (shared with the CaseRecorder, whose drafts follow them); absent: made here from the store, reply settings and customers. */
  templates?: TemplateService;
  /** Claims and the desk settings; absent: made here from the store and its data folder. */
  desk?: DeskService;
}

export type Handlers = { [C in ChannelName]: (req: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

function needDialogs(d: Dialogs | undefined): Dialogs {
  if (!d) throw new CodedError('unsupported', 'native dialogs exist only in the desktop app');
  return d;
}

function needReply(r: ReplyService | undefined): ReplyService {
  if (!r) throw new CodedError('unsupported', 'replies as mail are not available in this host');
  return r;
}

function needCustomers(c: CustomerFile | undefined): CustomerFile {
  if (!c) throw new CodedError('unsupported', 'the customer list is not available in this host');
  return c;
}

function needIntake(i: IntakeDeps | undefined): IntakeDeps {
  if (!i) throw new CodedError('store_unavailable', 'mail intake is not available in this host');
  return i;
}

function needCases(c: CaseDeps | undefined): CaseDeps {
  if (!c) throw new CodedError('store_unavailable', 'the case history is not available in this host');
  return c;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const store = () => needCases(deps.cases).stores.get();
  /** A change, answered with the fresh case (one round trip for the Case page). */
  const changed = async (id: number, fn: (s: Awaited<ReturnType<typeof store>>) => Promise<unknown>) => {
    const s = await store();
    await fn(s);
    return s.getCase(id);
  };
  /** The draft must belong to the case the renderer names. */
  const draftOf = async (id: number, draftId: number) => {
    const d = await (await store()).getCase(id);
    if (!d.drafts.some((x) => x.id === draftId)) throw new CodedError('not_found', `case ${id} has no draft ${draftId}`);
  };
  const packets = new PacketService(store, deps.wireshark);
  let deskService = deps.desk;
  const desk = () => (deskService ??= new DeskService({ settings: new DeskSettingsStore(needCases(deps.cases).stores.dataDir), store }));
  const templates = deps.templates ?? new TemplateService({ store, signature: () => deps.reply?.settings().signature ?? '', customers: deps.customers });
  /** The signature and our customer the group reply's filler cannot read from the store. */
  const groupExtras = async (s: Awaited<ReturnType<typeof store>>, caseIds: number[]) => {
    const group = await s.groupOf(caseIds[0]);
    return templates.groupValues(group ? [group.accused] : (await s.getCase(caseIds[0])).accused);
  };
  return {
    'app:info': async () => ({ ...deps.info, engineVersion: await deps.engine.engineVersion() }),
    'analysis:start': async (req) => {
      const files: Array<{ path: string; name: string }> = [];
      for (const ref of req.evidence) files.push(await deps.resolveEvidence(ref));
      const started = deps.engine.startAnalysis({
        complaintText: req.complaintText, complaintName: req.complaintName, evidence: files.map((f) => f.path), ourNets: req.ourNets, mask: req.mask,
      });
      // Saved as a case when the result arrives (see CaseRecorder).
      deps.cases?.recorder.remember(started.jobId, {
        complaintText: req.complaintText, complaintName: req.complaintName, evidence: files, ourNets: req.ourNets, mask: req.mask, startedAt: Date.now(),
        ...(req.joinCase !== undefined ? { joinCase: req.joinCase } : {}),
      });
      return started;
    },
    'analysis:cancel': async (req) => ({ cancelled: deps.engine.cancel(req.jobId) }),
    'evidence:describe': async (req) => {
      const { path, name } = await deps.resolveEvidence(req.path);
      return deps.engine.describe({ path, ref: req.path, name });
    },
    'settings:get': async () => deps.settings.get(),
    'settings:set': async (req) => deps.settings.set(req),
    'dialog:openEvidence': async () => ({ files: await needDialogs(deps.dialogs).openEvidence() }),
    'dialog:openComplaint': async () => needDialogs(deps.dialogs).openComplaint(),
    'draft:save': async (req) => {
      const dialogs = needDialogs(deps.dialogs);
      if (!deps.reply) return dialogs.saveDraft(renderDraftFile(req));
      const { fileName, mime, content } = await deps.reply.composeFile(req);
      return dialogs.saveDraft({ fileName, mime, content });
    },
    'reply:getSettings': async () => needReply(deps.reply).settings(),
    'reply:setSettings': async (req) => needReply(deps.reply).setSettings(req),
    'reply:compose': async (req) => needReply(deps.reply).composeFile(req),
    'reply:send': async (req) => needReply(deps.reply).send(req),
    'customers:info': async () => needCustomers(deps.customers).info(),
    'customers:import': async ({ text, name }) => needCustomers(deps.customers).import(text, name),
    'customers:lookup': async ({ addresses }) => needCustomers(deps.customers).lookup(addresses),
    'evidence:packet': async (req) => packets.packet(req),
    'evidence:openInWireshark': async (req) => packets.openInWireshark(req),

    'store:info': async () => (deps.cases ? deps.cases.stores.info() : { available: false, dataDir: '', error: { code: 'store_unavailable', message: 'no case store in this host' } }),
    'store:backup': async () => (await store()).backup(await needCases(deps.cases).backupDir()),
    'cases:list': async (req) => (await store()).listCases(req),
    'cases:search': async ({ query, ...filters }) => (await store()).search(query, filters),
    'cases:get': async ({ id }) => (await store()).getCase(id),
    'cases:verifyEvidence': async ({ id }) => (await store()).getCase(id, { verifyEvidence: true }),
    'cases:related': async ({ id }) => (await store()).relatedCases(id),
    'cases:hostHistory': async ({ address }) => (await store()).hostHistory(address),
    'cases:setStatus': async ({ id, status }) => changed(id, (s) => s.setStatus(id, status)),
    'cases:tag': async ({ id, add, remove }) => changed(id, async (s) => {
      for (const t of remove ?? []) await s.removeTag(id, t);
      for (const t of add ?? []) await s.addTag(id, t);
    }),
    'cases:addNote': async ({ id, body }) => changed(id, (s) => s.addNote(id, body)),
    'cases:saveDraft': async ({ id, subject, body }) => (await store()).saveDraft(id, { subject, body, origin: 'edited' }),
    'cases:markSent': async ({ id, draftId }) => {
      await draftOf(id, draftId);
      return (await store()).markDraftSent(draftId);
    },
    'cases:findRepeat': async ({ complaintText }) => {
      const s = await store();
      const earlier = await s.findDuplicate(complaintText);
      if (!earlier) return null;
      const c = await s.getCase(earlier.id);
      return { id: c.id, status: c.status, subject: c.subject, verdict: c.verdict, confidence: c.confidence };
    },
    'cases:acceptRun': async ({ id, runId }) => changed(id, (s) => s.acceptRun(id, runId)),
    'cases:addEvidence': async ({ id, refs }) => {
      const files: Array<{ path: string; name: string }> = [];
      for (const ref of refs) files.push(await deps.resolveEvidence(ref));
      return changed(id, async (s) => {
        for (const f of files) await s.attachEvidence(id, { path: f.path, originalName: f.name });
      });
    },
    'cases:removeEvidence': async ({ id, evidenceId, reason }) => changed(id, (s) => s.removeEvidence(id, evidenceId, reason)),
    'cases:excludeEvidence': async ({ id, evidenceId, excluded }) => changed(id, (s) => s.setEvidenceExcluded(id, evidenceId, excluded)),
    'cases:reanalyze': async ({ id }) => changed(id, (s) =>
      s.reanalyze(id, templates.reanalyzeFn(id, needCases(deps.cases).recorder.analyzeFn(() => deps.settings.get().ourNets)))),
    'cases:export': async ({ id }) => {
      const s = await store();
      await s.getCase(id); // not_found before any dialog
      const name = `case-${id}.abuse-case.tar`;
      const target = await needCases(deps.cases).exportTarget(name);
      if (!target) return { saved: false };
      const path = await s.exportBundle(id, target.path);
      return target.download ? { saved: true, download: target.download, name } : { saved: true, path, name };
    },
    'cases:import': async ({ ref }) => (await store()).importBundle((await deps.resolveEvidence(ref)).path),

    'intake:importPaths': async ({ dialog, paths, uploads }) => {
      const intake = needIntake(deps.intake);
      let files: string[];
      if (dialog) {
        files = await needDialogs(deps.dialogs).openMailboxes(dialog);
        if (!files.length) return { ...emptySummary(), cancelled: true };
      } else if (paths) {
        const resolve = intake.resolveMailboxPath;
        if (!resolve) throw new CodedError('unsupported', 'paths on this machine are not accepted here: upload the files');
        files = [];
        for (const p of paths) files.push(await resolve(p));
      } else {
        files = [];
        for (const u of uploads ?? []) files.push((await deps.resolveEvidence(u)).path);
      }
      return { ...(await intake.service.importPaths(files)), cancelled: false };
    },
    'imap:getAccount': async () => needIntake(deps.intake).service.getAccount(),
    'imap:setAccount': async (req) => needIntake(deps.intake).service.setAccount(req),
    'imap:test': async ({ account }) => needIntake(deps.intake).service.test(account),
    'imap:fetch': async () => needIntake(deps.intake).service.fetch(),

    'queue:list': async (req) => {
      const s = await store();
      const page = await s.queue(req);
      const claims = new Map((await s.desk.claimsOf(page.items.map((i) => i.id))).map((c) => [c.caseId, c]));
      if (claims.size) page.items = page.items.map((i) => (claims.has(i.id) ? { ...i, claim: claims.get(i.id) } : i));
      // The messages that could not be read (quarantined) head the first page, whatever the class filter.
      return req.offset ? page : { ...page, unreadable: await s.quarantinedMessages(50) };
    },
    'queue:bulk': async (req) => {
      const s = await store();
      switch (req.action) {
        case 'tag': return req.remove ? s.removeTagMany(req.caseIds, req.tag) : s.addTagMany(req.caseIds, req.tag);
        case 'status': return s.setStatusMany(req.caseIds, req.status);
        case 'reply': {
          const { drafts } = await s.replyToGroup(req.caseIds, { subject: req.subject, body: req.body }, await groupExtras(s, req.caseIds));
          return { changed: drafts.map((d) => d.caseId), unchanged: [], drafts };
        }
      }
    },
    'queue:groupDraft': async ({ caseIds, subject, body }) => {
      const s = await store();
      return previewGroupReply(s, caseIds, { subject, body }, await groupExtras(s, caseIds));
    },
    'templates:list': async () => templates.list(),
    'templates:get': async (key) => templates.get(key),
    'templates:set': async (req) => templates.set(req),
    'templates:reset': async (req) => templates.reset(req),
    'templates:preview': async (req) => templates.preview(req),
    'claims:claim': async ({ id, takeOver }) => desk().claim(id, takeOver),
    'claims:release': async ({ id }) => desk().release(id),
    'claims:get': async ({ id }) => desk().claimOf(id),
    'desk:get': async () => desk().view(),
    'desk:set': async (req) => desk().set(req),
  };
}

function emptySummary() {
  return { messages: 0, counts: { created: 0, 'joined-thread': 0, 'joined-duplicate': 0, 'already-imported': 0 }, caseIds: [], warnings: [], aborted: false };
}

/** Validate and run one call: unknown channel and bad arguments are answered, never thrown. */
export async function dispatch(handlers: Handlers, channel: unknown, raw: unknown): Promise<Result<unknown>> {
  if (!isChannelName(channel)) return err('bad_request', `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
  const parsed = parseRequest(channel, raw);
  if (!parsed.ok) return parsed;
  const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
  return wrapResult(() => handler(parsed.value));
}
