import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Tests mirror the source: every module with logic under the layer folders has
 * `test/<same path>.test.ts` (or `.slow.test.ts`), so a reader finds a module's
 * test without grepping. A `.svelte` or `.svelte.ts` file drops the suffix:
 * `renderer/lib/queue.svelte.ts` → `test/renderer/lib/queue.test.ts`.
 * Modules that only declare types (type, interface, re-exports) have no
 * behaviour to test and are recognised from their syntax; everything else
 * without a mirrored test must be in `allowlist` below, with its reason.
 */
const root = join(import.meta.dirname, '..', '..');
const layers = ['analysis', 'store', 'services', 'host', 'electron', 'cli', 'renderer'];

// Why a module with logic may go without a mirrored test: the reasons, each said once.
const CONSTANTS = 'constants only (a sensor\'s default thresholds and the sentence describing them): asserted where they are read, test/analysis/sensors/threshold-text.test.ts and alarms.test.ts';
const WIRE = 'constants only (paths, names and patterns both ends agree on): exercised end to end by test/renderer/lib/http-client.test.ts, test/host/serve/server.test.ts and test/electron/main/main.test.ts';
const ENTRY = 'thin Electron entry point or glue, run only inside Electron or its utility process: covered by test/electron/electron-app.test.ts (the real app) and test/electron/main/main.test.ts (the bundled main under a stand-in electron)';
const PG = 'PostgreSQL only: applied and checked against SQLite\'s columns by test/store/pg/migrations/index.slow.test.ts, used by the behaviour suite test/store/behaviour/*.slow.test.ts (they need a PostgreSQL server: npm run test:pg)';
const VIEW = 'no component test yet: drawn and driven through the app by test/renderer/App.test.ts, test/renderer/views/*.test.ts and the browser e2e tier (test/e2e)';

/** The one list of modules with logic and no mirrored test, each with why. */
const allowlist: Record<string, string> = {
  'analysis/sensors/fail2ban.ts': CONSTANTS,
  'analysis/sensors/portsentry.ts': CONSTANTS,
  'analysis/sensors/psad.ts': CONSTANTS,
  'analysis/sensors/suricata.ts': CONSTANTS,
  'electron/common/transport.ts': WIRE,
  'electron/common/file-handles.ts': WIRE,
  'electron/common/channel.ts': 'the contract\'s entry constructor (a schema and a phantom response type): every channel made with it is checked with a good and a malformed request in test/electron/common/contract.test.ts',
  'electron/engine/main.ts': `${ENTRY}; as a Node child by test/electron/engine/spawn-node.test.ts and test/host/engine-host.test.ts`,
  'electron/main/dialogs.ts': ENTRY,
  'electron/main/menu.ts': ENTRY,
  'electron/main/spawn-utility.ts': ENTRY,
  'electron/preload/preload.ts': ENTRY,
  'renderer/main.ts': 'the renderer\'s entry (mounts App): run by the browser e2e tier (test/e2e/app.e2e.ts) and the Electron test',
  'renderer/vite.config.ts': 'build configuration: exercised by every renderer build (test/cli/serve/renderer-build.test.ts) and the e2e tier',
  'store/pg/migrations/0001-cases.ts': PG,
  'store/pg/migrations/0002-search-blobs.ts': PG,
  'store/pg/migrations/0003-operators.ts': PG,
  'store/pg/migrations/0004-claims.ts': PG,
  'store/pg/migrations/0005-notify.ts': PG,
  'store/pg/migrations/0006-leases.ts': PG,
  'store/pg/migrations/0007-reply-templates.ts': PG,
  'store/pg/open.ts': PG,
  'store/pg/pg-vault.ts': PG,
  'renderer/components/CustomerSettings.svelte': VIEW,
  'renderer/components/GroupReply.svelte': VIEW,
  'renderer/components/Icon.svelte': VIEW,
  'renderer/components/ReplySettings.svelte': VIEW,
  'renderer/components/SendReply.svelte': VIEW,
  'renderer/components/Sidebar.svelte': VIEW,
  'renderer/components/TimelineChart.svelte': VIEW,
  'renderer/components/case/AcceptRun.svelte': VIEW,
  'renderer/components/case/CaseFacts.svelte': VIEW,
  'renderer/components/case/EvidenceTab.svelte': VIEW,
  'renderer/components/case/NotesTab.svelte': VIEW,
  'renderer/components/case/RelatedTab.svelte': VIEW,
  'renderer/components/case/RunsTab.svelte': VIEW,
  'renderer/components/case/TimelineTab.svelte': VIEW,
  'renderer/components/packet/PacketDialog.svelte': VIEW,
  'renderer/views/Analysis.svelte': VIEW,
  'renderer/views/Draft.svelte': VIEW,
  'renderer/views/HostView.svelte': VIEW,
  'renderer/views/Result.svelte': VIEW,
  'renderer/views/Settings.svelte': VIEW,
  'store/claims.ts': 'covered by test/store/behaviour/claims.slow.test.ts (SQLite and PostgreSQL alike); a fast test at the mirrored path is pending with the store task reworking claims',
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...sources(p));
    } else if (/\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The test paths that count as this module's mirror. */
export function mirrors(path: string): string[] {
  const base = path.replace(/\.ts$/, '').replace(/\.svelte$/, '');
  return [`test/${base}.test.ts`, `test/${base}.slow.test.ts`];
}

/**
 * True when nothing of the file runs: what is left once esbuild erases the
 * types is at most re-exports (`export * from`, `export { x } from`).
 */
export function typeOnly(text: string): boolean {
  const js = transformSync(text, { loader: 'ts' }).code;
  return js.split('\n').every((l) => l.trim() === '' || /^export (\*|\{[^}]*\}) from "[^"]+";$/.test(l.trim()));
}

const modules = layers.flatMap((l) => sources(l)).map((p) => relative(root, join(root, p)).split('\\').join('/')).sort();
const withLogic = modules.filter((m) => m.endsWith('.svelte') || !typeOnly(readFileSync(join(root, m), 'utf8')));
const mirrored = (m: string) => mirrors(m).some((t) => existsSync(join(root, t)));

describe('tests mirror the source', () => {
  it('recognises type-only modules from their syntax', () => {
    expect(typeOnly("import type { A } from './a';\nexport type B = A;\nexport interface C { x: number }\nexport type { D } from './d';\n")).toBe(true);
    expect(typeOnly("export * from './a';\ndeclare const x: number;\n")).toBe(true);
    expect(typeOnly('export const x = 1;\n')).toBe(false);
    expect(typeOnly('export function f(): void {}\n')).toBe(false);
    expect(typeOnly('export enum E { A }\n')).toBe(false);
    expect(typeOnly("import './side-effect';\nconsole.log(1);\n")).toBe(false);
  });

  it('gives every module with logic a test at its mirrored path, or a reason in the allowlist', () => {
    const missing = withLogic.filter((m) => !mirrored(m) && !(m in allowlist));
    expect(missing).toEqual([]);
  });

  it('keeps the allowlist honest: each entry exists, has logic, has no mirrored test yet, and says why', () => {
    const stale = Object.entries(allowlist).filter(([m, why]) => !withLogic.includes(m) || mirrored(m) || why.trim().length < 10).map(([m]) => m);
    expect(stale).toEqual([]);
  });
});
