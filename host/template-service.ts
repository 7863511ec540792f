/**
 * Reply templates behind the template channels (Electron main and `serve`),
 * and where a stored template takes the place of the built-in reply: the
 * draft of a case analysed or re-analysed in the app, and the group reply's
 * values. The texts live in the case store (CaseStore.replyTemplates); what
 * the store does not know comes from here: the desk's signature (reply
 * settings) and our customer for the accused address (the customer list).
 */
import type { Complaint } from '../analysis/complaint/complaint';
import { parseComplaint } from '../analysis/complaint/parse-complaint';
import { caseTemplateKey, fillCaseTemplate, type CaseTemplateInput } from '../analysis/draft/case-template';
import { PLACEHOLDERS } from '../analysis/draft/placeholders';
import { defaultTemplate, TEMPLATE_KEYS, templateKeyLabel, type TemplateKey } from '../analysis/draft/template-keys';
import type { AnalysisResult } from '../analysis/pipeline';
import type { TemplateList, TemplatePreview, TemplateView } from '../electron/common/template-channels';
import type { CaseStore, StoredReplyTemplate } from '../store/case-store';
import type { AnalyzeFn } from '../store/types';

export interface TemplateServiceDeps {
  store: () => Promise<CaseStore>;
  /** The desk's signature from the reply settings ('' when none is set). */
  signature: () => string;
  /** Our customer of each address (the imported customer list); absent: {customer} is never known. */
  customers?: { lookup(addresses: readonly string[]): Promise<Record<string, { customer: string } | null>> };
  log?: (line: string) => void;
}

type Draft = { subject: string; body: string };

function view(row: StoredReplyTemplate): TemplateView {
  const key = { reportClass: row.reportClass, verdict: row.verdict };
  const builtIn = defaultTemplate(key);
  const text = row.template ?? builtIn;
  return {
    ...key, label: templateKeyLabel(key), subject: text.subject, body: text.body, custom: row.template !== null, builtIn,
    version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy,
  };
}

export class TemplateService {
  constructor(private readonly deps: TemplateServiceDeps) {}

  async list(): Promise<TemplateList> {
    const stored = await (await this.deps.store()).replyTemplates.list();
    const rowOf = (k: TemplateKey): StoredReplyTemplate => stored.find((r) => r.reportClass === k.reportClass && r.verdict === k.verdict)
      ?? { ...k, template: null, version: 0, updatedAt: null, updatedBy: null };
    return { templates: TEMPLATE_KEYS.map((k) => view(rowOf(k))), placeholders: [...PLACEHOLDERS] };
  }

  async get(key: TemplateKey): Promise<TemplateView> {
    return view(await (await this.deps.store()).replyTemplates.get(key));
  }

  async set(req: TemplateKey & Draft & { expectedVersion?: number }): Promise<TemplateView> {
    const { reportClass, verdict, subject, body, expectedVersion } = req;
    const store = await this.deps.store();
    return view(await store.replyTemplates.set({ reportClass, verdict }, { subject, body }, expectedVersion !== undefined ? { expectedVersion } : {}));
  }

  async reset(req: TemplateKey & { expectedVersion?: number }): Promise<TemplateView> {
    const { reportClass, verdict, expectedVersion } = req;
    const store = await this.deps.store();
    return view(await store.replyTemplates.reset({ reportClass, verdict }, expectedVersion !== undefined ? { expectedVersion } : {}));
  }

  /** Our customer using the address, or null (no list, or no prefix holds it). */
  async customerOf(address: string | undefined): Promise<string | null> {
    if (!address || !this.deps.customers) return null;
    try {
      return (await this.deps.customers.lookup([address]))[address]?.customer ?? null;
    } catch (e) {
      this.deps.log?.(`customer list: ${(e as Error).message}`);
      return null;
    }
  }

  /** The text in the editor filled in for a stored case (its accepted run, else its latest). */
  async preview(req: TemplateKey & Draft & { caseId: number }): Promise<TemplatePreview> {
    const store = await this.deps.store();
    const d = await store.getCase(req.caseId);
    const run = d.runs.find((r) => r.id === d.acceptedRunId) ?? d.runs.at(-1);
    const parsed = await parseComplaint(new TextEncoder().encode(d.complaintRaw), { fileName: d.complaintName, ourNets: run?.options.ourNets });
    const analysis = run?.result ?? null;
    const input: CaseTemplateInput = {
      complaint: { ...parsed, ...d.complaint }, quoted: parsed.quotedEvents, analysis, verdict: d.verdict ?? 'inconclusive', caseId: d.id,
      customer: await this.customerOf(analysis?.accused[0] ?? d.accused[0]), signature: this.deps.signature(), mask: run?.options.mask,
    };
    const filled = fillCaseTemplate({ subject: req.subject, body: req.body }, input);
    return { caseId: d.id, subject: filled.subject, body: filled.body, customer: input.customer ?? null, caseKey: caseTemplateKey(input) };
  }

  /**
   * The reply for a case the app just analysed, when the operator saved a
   * template for its report class and verdict: filled once the store knows
   * the case's id (SaveAnalysisInput.draftFor). Undefined: the engine's
   * built-in draft stays. A failure here never stops the analysis being
   * saved; the built-in draft is kept and the reason logged.
   */
  async draftFor(complaint: Complaint, result: AnalysisResult, mask?: boolean): Promise<((caseId: number) => Draft) | undefined> {
    try {
      const input: CaseTemplateInput = { complaint, quoted: complaint.quotedEvents, analysis: result, mask };
      const stored = await (await this.deps.store()).replyTemplates.get(caseTemplateKey(input));
      const template = stored.template;
      if (!template) return undefined;
      const customer = await this.customerOf(result.accused[0] ?? complaint.accused[0]);
      const signature = this.deps.signature();
      return (caseId) => fillCaseTemplate(template, { ...input, caseId, customer, signature });
    } catch (e) {
      this.deps.log?.(`reply templates: the built-in draft is kept: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** A re-analysis of case `caseId` whose new draft follows the stored template, as a fresh analysis's does. */
  reanalyzeFn(caseId: number, analyze: AnalyzeFn): AnalyzeFn {
    return async (input) => {
      const result = await analyze(input);
      const complaint = await parseComplaint(input.complaintRaw, { fileName: input.complaintName, ourNets: input.options.ourNets });
      const draftFor = await this.draftFor(complaint, result, input.options.mask);
      return draftFor ? { ...result, draft: draftFor(caseId) } : result;
    };
  }

  /** What the group reply's filler cannot read from the store: the signature and our customer of each accused address. */
  async groupValues(accused: readonly string[]): Promise<{ signature: string; customers: Record<string, string> }> {
    const customers: Record<string, string> = {};
    for (const a of new Set(accused)) {
      const c = await this.customerOf(a);
      if (c) customers[a] = c;
    }
    return { signature: this.deps.signature(), customers };
  }
}
