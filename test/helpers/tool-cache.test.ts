import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { cachedToolOutput, keyArgs, toolCacheStats } from './tool-cache';

const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-tool-cache-'));
process.env.ABUSE_DESK_TOOL_CACHE = join(dir, 'cache');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the tool answer cache', () => {
  it('asks the tool again only for other bytes, another tool version or other arguments', async ({ expect }) => {
    mkdirSync(join(dir, 'moved'));
    const [a, moved, other] = ['a.pcap', 'moved/b.pcap', 'c.pcap'].map((n) => join(dir, n));
    writeFileSync(a, 'same bytes');
    writeFileSync(moved, 'same bytes');
    writeFileSync(other, 'other bytes');
    let runs = 0;
    const run = async (): Promise<string> => `answer ${++runs}`;
    const ask = (file: string, version = 'tool 1.0', extra: string[] = []): Promise<string> =>
      cachedToolOutput({ file, versions: [version], args: [keyArgs(['-r', file, ...extra], file)] }, run);

    expect(await ask(a)).toBe('answer 1');
    expect(await ask(a)).toBe('answer 1');
    expect(await ask(moved)).toBe('answer 1');
    expect(await ask(other)).toBe('answer 2');
    expect(await ask(a, 'tool 1.1')).toBe('answer 3');
    expect(await ask(a, 'tool 1.0', ['-n'])).toBe('answer 4');
    expect(runs).toBe(4);
    expect(toolCacheStats).toEqual({ hits: 2, misses: 4 });
    expect(readdirSync(join(dir, 'cache'))).toHaveLength(4);
  });
});
