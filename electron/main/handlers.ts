/**
 * The contract's channel handlers, shared by the Electron main process and
 * `serve`; what differs between the two (dialogs, how an evidence reference
 * becomes a path) comes in as dependencies. No Electron import.
 */
import {
  isChannelName, parseRequest,
  type AppInfo, type ChannelName, type EvidenceRef, type ParsedRequestOf, type ResponseOf,
} from '../common/contract';
import type { DraftFile } from '../common/draft-file';
import { renderDraftFile } from '../common/draft-file';
import type { EngineHost } from '../common/engine-host';
import { CodedError, err, wrapResult, type Result } from '../common/result';
import type { SettingsStore } from './settings-store';

export interface Dialogs {
  openEvidence(): Promise<EvidenceRef[]>;
  openComplaint(): Promise<{ name: string; text: string } | null>;
  saveDraft(file: DraftFile): Promise<{ saved: boolean; path?: string }>;
}

export interface HandlerDeps {
  engine: EngineHost;
  settings: SettingsStore;
  info: Omit<AppInfo, 'engineVersion'>;
  /** A path (Electron) or upload token (serve) to a readable file; throws CodedError('not_found' | 'forbidden'). */
  resolveEvidence(ref: string): Promise<{ path: string; name: string }>;
  /** Absent in the browser: the dialog channels answer `unsupported`. */
  dialogs?: Dialogs;
}

export type Handlers = { [C in ChannelName]: (req: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

function needDialogs(d: Dialogs | undefined): Dialogs {
  if (!d) throw new CodedError('unsupported', 'native dialogs exist only in the desktop app');
  return d;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'app:info': async () => ({ ...deps.info, engineVersion: await deps.engine.engineVersion() }),
    'analysis:start': async (req) => {
      const evidence: string[] = [];
      for (const ref of req.evidence) evidence.push((await deps.resolveEvidence(ref)).path);
      return deps.engine.startAnalysis({
        complaintText: req.complaintText, complaintName: req.complaintName, evidence, ourNets: req.ourNets, mask: req.mask,
      });
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
    'draft:save': async (req) => needDialogs(deps.dialogs).saveDraft(renderDraftFile(req)),
  };
}

/** Validate and run one call: unknown channel and bad arguments are answered, never thrown. */
export async function dispatch(handlers: Handlers, channel: unknown, raw: unknown): Promise<Result<unknown>> {
  if (!isChannelName(channel)) return err('bad_request', `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
  const parsed = parseRequest(channel, raw);
  if (!parsed.ok) return parsed;
  const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
  return wrapResult(() => handler(parsed.value));
}
