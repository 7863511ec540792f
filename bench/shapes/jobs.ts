import type { Prepared } from './prepare';

/** The commands timed on each shape's capture. */
export type ToolId = 'analyze' | 'analyze-1t' | 'analyze-2t' | 'inspect' | 'tshark' | 'tcpdump';

export const TOOLS: Array<{ id: ToolId; label: string }> = [
  { id: 'analyze', label: 'analyze --json' },
  // The same with ABUSE_DESK_WORKERS=0 (one pass in one thread) and =2 (two workers whatever the load),
  // to show what the workers buy and cost.
  { id: 'analyze-1t', label: 'analyze 1 thread' },
  { id: 'analyze-2t', label: 'analyze 2 workers' },
  { id: 'inspect', label: 'inspect --json' },
  { id: 'tshark', label: 'tshark conv,tcp' },
  { id: 'tcpdump', label: 'tcpdump -nr' },
];

/** analyze through the installed CLI entry, with the shape's complaint and our network. */
export function analyzeArgv(p: Prepared, file: string, nodeFlags: string[] = []): string[] {
  return ['node', ...nodeFlags, 'bin/abuse-desk.mjs', 'analyze', '--complaint', p.complaint, '--evidence', file, '--our-net', p.shape.ourNet, '--json'];
}

export function toolArgv(tool: ToolId, p: Prepared): string[] {
  switch (tool) {
    case 'analyze': case 'analyze-1t': case 'analyze-2t': return analyzeArgv(p, p.pcap);
    case 'inspect': return ['node', 'bin/abuse-desk.mjs', 'inspect', p.pcap, '--json'];
    case 'tshark': return ['tshark', '-r', p.pcap, '-q', '-z', 'conv,tcp'];
    case 'tcpdump': return ['tcpdump', '-nr', p.pcap];
  }
}

/**
 * bin/abuse-desk.mjs runs its bundle when it is current, else the sources
 * through tsx; with ABUSE_DESK_DEBUG=1 it says so on stderr, and the report
 * says which ran.
 */
export const CLI_ENV = { ABUSE_DESK_DEBUG: '1' };

/** The environment of one of our commands: ABUSE_DESK_WORKERS for the analyze variants. */
export function cliEnv(tool: ToolId): Record<string, string> {
  if (tool === 'analyze-1t') return { ...CLI_ENV, ABUSE_DESK_WORKERS: '0' };
  if (tool === 'analyze-2t') return { ...CLI_ENV, ABUSE_DESK_WORKERS: '2' };
  return CLI_ENV;
}

export function ranFrom(stderrHead: string): 'bundle' | 'tsx' {
  return /running the sources through tsx/.test(stderrHead) ? 'tsx' : 'bundle';
}

/** What an analyze run concluded: its verdict and its findings' ids (sorted, repeats kept). */
export interface Conclusion { verdict: string; findingIds: string[]; warnings: string[] }

export function conclusion(stdout: string): Conclusion | undefined {
  try {
    const r = JSON.parse(stdout) as { verdict: string; findings: Array<{ id: string }>; warnings?: string[] };
    return { verdict: r.verdict, findingIds: r.findings.map((f) => f.id).sort(), warnings: r.warnings ?? [] };
  } catch {
    return undefined;
  }
}

export function sameConclusion(a: Conclusion, b: Conclusion): boolean {
  return a.verdict === b.verdict && a.findingIds.join(',') === b.findingIds.join(',');
}

/** "a, b ×2, c" */
export function idList(ids: string[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].map(([id, n]) => (n > 1 ? `${id} ×${n}` : id)).join(', ') || '(none)';
}
