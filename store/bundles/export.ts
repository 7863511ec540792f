/**
 * Export one case as a bundle (see ../bundle.ts): evidence verified first (a
 * custody problem refuses the export), then the manifest, the complaint as
 * received, every evidence file, run, draft and the latest reply. The audit
 * trail goes with it, and the history of an imported case beside it.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { getCase, verifyEvidence } from '../cases/reads';
import { audit } from '../cases/insert';
import { custodyError } from '../cases/rows';
import { StoreError, toStoreError } from '../errors';
import { read, write, type StoreContext } from '../transaction';
import { BUNDLE_FORMAT, BUNDLE_VERSION, draftMarkdown, safeEntryName, writeTar, type BundleManifest, type TarEntryIn } from '../bundle';

/** Write the bundle to `dest` (a file name, or an existing folder to hold `case-<id>.abuse-case.tar`); returns its path. */
export async function exportBundle(ctx: StoreContext, caseId: number, dest: string): Promise<string> {
  const checked = await verifyEvidence(ctx, caseId);
  const bad = checked.filter((e) => e.custody !== 'verified');
  if (bad.length) throw custodyError(caseId, bad);
  const detail = await getCase(ctx, caseId);
  let out = resolve(dest);
  const st = await stat(out).catch(() => null);
  if (st?.isDirectory()) out = join(out, `case-${caseId}.abuse-case.tar`);
  const raw = await read(ctx, () => ctx.db.get<{ complaint_raw: Buffer }>('SELECT complaint_raw FROM cases WHERE id = ?', [caseId]));
  const now = ctx.now();
  const complaintEntry = `complaint/${safeEntryName(detail.complaintName)}`;
  const entries: TarEntryIn[] = [];
  const json = (v: unknown): { bytes: Uint8Array } => ({ bytes: Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8') });
  const runIndex = new Map(detail.runs.map((r, i) => [r.id, i]));
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exportedAt: now,
    case: {
      createdAt: detail.createdAt, updatedAt: detail.updatedAt, receivedAt: detail.receivedAt, status: detail.status,
      fingerprint: detail.fingerprint, complaintName: detail.complaintName, complaintEntry,
      complaint: detail.complaint as unknown as Record<string, unknown>, accused: detail.accused, targets: detail.targets, tags: detail.tags,
    },
    evidence: checked.map((e) => ({
      sha256: e.sha256, originalName: e.originalName, size: e.size, format: e.format, firstTs: e.firstTs, lastTs: e.lastTs,
      attachedAt: e.attachedAt, entry: `evidence/${e.sha256}`,
    })),
    runs: detail.runs.map((r, i) => ({
      createdAt: r.createdAt, engineVersion: r.engineVersion, schemaVersion: r.schemaVersion, verdict: r.verdict, confidence: r.confidence,
      durationMs: r.durationMs, options: r.options as Record<string, unknown>, entry: `analysis/run-${i + 1}.json`,
    })),
    drafts: detail.drafts.map((d) => ({
      version: d.version, subject: d.subject, body: d.body, origin: d.origin, runIndex: d.runId !== null ? runIndex.get(d.runId) ?? null : null,
      createdAt: d.createdAt, sentAt: d.sentAt,
    })),
    notes: detail.notes.map((n) => ({ body: n.body, createdAt: n.createdAt })),
    audit: detail.audit.map((a) => ({ at: a.at, action: a.action, detail: a.detail })),
    // A case that came in a bundle passes that bundle's trail on, still apart from ours.
    importedHistory: (detail.importedHistory ?? []).map((h) => ({ bundle: h.bundle, importedAt: h.importedAt, at: h.at, action: h.action, detail: h.detail })),
  };
  entries.push({ name: 'manifest.json', mtimeMs: now, source: json(manifest) });
  entries.push({ name: complaintEntry, mtimeMs: detail.createdAt, source: { bytes: raw!.complaint_raw } });
  for (const e of checked) entries.push({ name: `evidence/${e.sha256}`, mtimeMs: e.attachedAt, source: { file: ctx.vault.pathOf(e.sha256), size: e.size } });
  detail.runs.forEach((r, i) => entries.push({ name: `analysis/run-${i + 1}.json`, mtimeMs: r.createdAt, source: json(r.result) }));
  for (const d of detail.drafts) entries.push({ name: `drafts/v${d.version}.md`, mtimeMs: d.createdAt, source: { bytes: Buffer.from(draftMarkdown(d), 'utf8') } });
  const latest = detail.drafts.at(-1);
  if (latest) entries.push({ name: 'reply.md', mtimeMs: latest.createdAt, source: { bytes: Buffer.from(draftMarkdown(latest), 'utf8') } });
  try {
    await writeTar(out, entries);
  } catch (e) {
    throw e instanceof StoreError ? e : toStoreError(e, out);
  }
  if (ctx.readOnlyReason === undefined) await write(ctx, (tx) => audit(ctx, tx, caseId, 'exported', `exported to ${out}`)).catch(() => undefined);
  return out;
}
