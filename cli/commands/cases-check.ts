/**
 * `cases backup --check [--remove-orphans]`: the evidence folder against the
 * database. Orphans (files no case names: left by an import that failed or
 * died before its commit) are reported, and removed on request once old
 * enough that no import running elsewhere can be about to name them; evidence
 * rows whose file is gone are a broken chain of custody (exit 3, as `cases
 * show`).
 */
import type { CaseStore } from '../../store/case-store';
import { terminalJson } from '../../analysis/util/printable';

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

export async function vaultCheckCommand(store: CaseStore, removeOrphans: boolean, json: boolean): Promise<number> {
  const r = await store.vaultCheck({ removeOrphans });
  if (json) {
    process.stdout.write(`${terminalJson(r)}\n`);
  } else {
    const lines = [`Evidence folder: ${r.files} file${r.files === 1 ? '' : 's'}.`];
    const bytes = r.orphans.reduce((a, o) => a + o.size, 0);
    if (!r.orphans.length) lines.push('No orphaned files (every file belongs to a case).');
    else {
      lines.push(`${r.orphans.length} orphaned file${r.orphans.length === 1 ? '' : 's'} (${mib(bytes)}) no case names:`);
      for (const o of r.orphans.slice(0, 20)) lines.push(`  ${o.sha256}  ${o.size} bytes  ${new Date(o.mtimeMs).toISOString()}`);
      if (r.orphans.length > 20) lines.push(`  … and ${r.orphans.length - 20} more (--json lists them all)`);
      if (removeOrphans) lines.push(`Removed ${r.removed}${r.recent ? `; kept ${r.recent} changed in the last 10 minutes (an import may be about to name them)` : ''}.`);
      else lines.push('Remove them with: abuse-desk cases backup --check --remove-orphans');
    }
    if (r.missing.length) {
      lines.push(`${r.missing.length} evidence file${r.missing.length === 1 ? ' is' : 's are'} missing from the folder:`);
      for (const m of r.missing.slice(0, 20)) lines.push(`  case ${m.caseId}: ${m.sha256}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (r.missing.length) {
    process.stderr.write(`abuse-desk: CHAIN OF CUSTODY BROKEN: ${r.missing.length} evidence file${r.missing.length === 1 ? '' : 's'} missing from the evidence folder.\n`);
    return 3;
  }
  return 0;
}
