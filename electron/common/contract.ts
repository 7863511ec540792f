/**
 * The one IPC contract shared by main, preload, the engine host, `serve` and
 * the renderer (Signal / VS Code style). Each `domain:verb` channel has a
 * zod request schema, checked by whoever receives the call, and a response
 * type; every reply is a `Result`. Events are `onX` with tuple payloads.
 *
 * The renderer's `AbuseDeskApi` type and the preload's implementation are
 * both derived from the tables below: add a channel here and every side
 * sees it (there is no hand-kept .d.ts).
 */
import { z } from 'zod';
import { isAddressOrCidr } from './address-syntax';
import type { Result } from './result';

export type { Result, ResultError, ErrorCode } from './result';
export type { AnalysisResult } from '../../analysis/pipeline';

// ---------------------------------------------------------------- limits

export const LIMITS = {
  /** A pasted complaint, as text (a large .eml with attachments fits). */
  complaintChars: 8 * 1024 * 1024,
  evidenceFiles: 32,
  pathChars: 4096,
  ourNets: 256,
  draftChars: 2 * 1024 * 1024,
  /** One uploaded evidence file (serve). */
  uploadBytes: 2 * 1024 * 1024 * 1024,
} as const;

/** Evidence references that name an upload (serve) instead of a path: `upload:<32 hex>`. */
export const UPLOAD_REF = /^upload:[0-9a-f]{32}$/;

// ---------------------------------------------------------------- shared shapes

const cidr = z.string().max(64).refine(isAddressOrCidr, { message: 'not an IP address or CIDR block' });
/** A path (Electron) or an upload token (serve); the host decides which it accepts. */
const evidenceRef = z.string().min(1).max(LIMITS.pathChars).refine((s) => !s.includes('\0'), { message: 'NUL in path' });
const theme = z.enum(['system', 'light', 'dark']);

/** What the operator configures once. */
export interface Settings {
  /** Our networks; the accused are the complaint's addresses inside them. */
  ourNets: string[];
  theme: 'system' | 'light' | 'dark';
}

export const DEFAULT_SETTINGS: Settings = { ourNets: [], theme: 'system' };

/** An evidence file the engine can read: a path in Electron, an upload token in the browser. */
export interface EvidenceRef {
  /** Pass this in `analysis:start`'s `evidence` and to `evidence:describe`. */
  ref: string;
  /** The file's own name, for display. */
  name: string;
  size: number;
}

/** `evidence:describe`: what a file is, before analysing it. */
export interface EvidenceDescription {
  ref: string;
  name: string;
  /** pcap, pcapng, argus, netfilter, snort, scanlogd, tcpdump-text, zeek-conn, fail2ban or unknown. */
  format: string;
  size: number;
  /** Packets (captures) or records (logs). */
  records: number;
  linkTypes: string[];
  /** ISO 8601 UTC of the first and last record, when the file has times. */
  firstTs?: string;
  lastTs?: string;
  /** True when a year or zone was inferred (syslog-style times). */
  timeInferred: boolean;
  warnings: string[];
  /** Set when the file could not be read to its end. */
  error?: string;
}

/** Which host the renderer runs in, and what it can do there. */
export interface AppInfo {
  host: 'electron' | 'browser';
  appVersion: string;
  engineVersion: string;
  /** False in the browser: evidence comes by upload, drafts by download. */
  nativeDialogs: boolean;
}

// ---------------------------------------------------------------- channels

/** A channel's table entry: the request schema and (as a phantom type) the response. */
export interface ChannelDef<Req extends z.ZodType, Res> {
  request: Req;
  /** Type-only: never read at run time. */
  response?: Res;
}

function channel<Req extends z.ZodType>(request: Req) {
  return { returns: <Res>(): ChannelDef<Req, Res> => ({ request }) };
}

const empty = z.strictObject({});

export const channels = {
  'app:info': channel(empty).returns<AppInfo>(),

  /** Start an analysis; progress, result and failure arrive as events carrying the jobId. */
  'analysis:start': channel(z.strictObject({
    complaintText: z.string().min(1).max(LIMITS.complaintChars),
    /** The complaint's file name when it came from a file ("report.eml" helps the parser). */
    complaintName: z.string().max(255).optional(),
    evidence: z.array(evidenceRef).max(LIMITS.evidenceFiles),
    ourNets: z.array(cidr).max(LIMITS.ourNets),
    /** Mask third parties' addresses in the reply (default true). */
    mask: z.boolean().optional(),
  })).returns<{ jobId: string }>(),

  'analysis:cancel': channel(z.strictObject({
    jobId: z.string().min(1).max(64),
  })).returns<{ cancelled: boolean }>(),

  'evidence:describe': channel(z.strictObject({
    path: evidenceRef,
  })).returns<EvidenceDescription>(),

  'settings:get': channel(empty).returns<Settings>(),

  'settings:set': channel(z.strictObject({
    ourNets: z.array(cidr).max(LIMITS.ourNets).optional(),
    theme: theme.optional(),
  })).returns<Settings>(),

  /** Native open dialog for evidence (Electron only; `unsupported` in the browser). Cancel gives []. */
  'dialog:openEvidence': channel(empty).returns<{ files: EvidenceRef[] }>(),

  /** Native open dialog for a complaint file (.eml, .txt); null when cancelled (Electron only). */
  'dialog:openComplaint': channel(empty).returns<{ name: string; text: string } | null>(),

  /** Save the reply draft: a save dialog in Electron, a download in the browser. */
  'draft:save': channel(z.strictObject({
    format: z.enum(['eml', 'txt']),
    subject: z.string().max(998),
    body: z.string().max(LIMITS.draftChars),
    /** Recipient for the .eml To: header. */
    to: z.string().max(998).optional(),
  })).returns<{ saved: boolean; path?: string }>(),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

/** What the caller passes (before validation: zod's input type). */
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What the handler receives (after validation). */
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = Exclude<Channels[C]['response'], undefined>;

export function isChannelName(s: unknown): s is ChannelName {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(channels, s);
}

/** Validate a request against its channel's schema: the receiver's first step. */
export function parseRequest<C extends ChannelName>(name: C, raw: unknown): Result<ParsedRequestOf<C>> {
  const parsed = channels[name].request.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as ParsedRequestOf<C> };
  const detail = parsed.error.issues.slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`).join('; ');
  return { ok: false, error: { code: 'bad_request', message: `${name}: ${detail}` } };
}

// ---------------------------------------------------------------- events
// The event table lives in ./events (no zod) so the preload bundle stays small.
export * from './events';
import type { EventArgs, EventName } from './events';

// ---------------------------------------------------------------- the renderer's API

export type Unsubscribe = () => void;

/**
 * `window.abuseDesk` in Electron (the preload) and the HTTP/WebSocket client
 * in the browser (renderer/lib/http-client.ts) both implement this.
 */
export type AbuseDeskApi = {
  readonly host: 'electron' | 'browser';
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /**
   * Turn a dropped or picked File into an evidence reference: its path in
   * Electron (no content is read by the renderer), an upload in the browser.
   */
  evidenceFromFile(file: File, onUploadProgress?: (bytesDone: number, bytesTotal: number) => void): Promise<Result<EvidenceRef>>;
} & {
  readonly [E in EventName]: (listener: (...args: EventArgs<E>) => void) => Unsubscribe;
};

declare global {
  interface Window {
    /** Set by the preload in the desktop app; absent in the browser (use renderer/lib/http-client). */
    abuseDesk?: AbuseDeskApi;
  }
}

// ---------------------------------------------------------------- transport names
// In ./transport (no zod) so the browser client does not bundle the schemas.
export * from './transport';
