import { spawnSync } from 'node:child_process';

/**
 * External tools the tests compare against. They are required, not optional:
 * .ci/run installs them with apt-get, and a test that needs a missing one
 * fails with this message instead of passing silently.
 */
const PACKAGE: Record<string, string> = {
  tshark: 'tshark', tcpdump: 'tcpdump', ra: 'argus-client', argus: 'argus-server', nfdump: 'nfdump', softflowd: 'softflowd',
};

export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Throws (so the calling test fails) naming the Debian package to install. */
export function requireTool(tool: string): void {
  if (!hasTool(tool)) throw new Error(`${tool} is required by this test and is not installed: apt-get install ${PACKAGE[tool] ?? tool}`);
}
