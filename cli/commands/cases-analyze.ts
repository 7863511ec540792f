import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyzeFn } from '../../store/types';
import { safeEntryName } from '../../store/bundle';
import { analyzeFiles } from '../../services/analyze-files';

/**
 * The store's re-analysis with the CLI's engine: the vault's files are linked
 * under their original names in a temporary folder, so the findings and the
 * reply quote "border.pcap", not a SHA-256.
 */
export const analyzeStored: AnalyzeFn = async (input) => {
  const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-reanalyze-'));
  try {
    const used = new Set<string>();
    const paths: string[] = [];
    for (const e of input.evidence) {
      let name = safeEntryName(e.originalName);
      for (let i = 2; used.has(name); i++) name = `${i}-${safeEntryName(e.originalName)}`;
      used.add(name);
      const link = join(dir, name);
      await symlink(e.path, link);
      paths.push(link);
    }
    return await analyzeFiles({
      complaint: input.complaintRaw,
      complaintName: input.complaintName,
      evidence: paths,
      ourNets: input.options.ourNets ?? [],
      evidenceZone: input.options.evidenceZone,
      mask: input.options.mask ?? true,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
