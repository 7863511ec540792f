/** Wireshark started with an argument array: a file name with shell syntax stays one argument. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wiresharkLauncher } from '../../host/wireshark';
import { tempDir } from '../store/helpers';

describe('wiresharkLauncher', () => {
  const t = { dir: '', cleanup: async () => undefined as void };
  beforeEach(async () => { Object.assign(t, await tempDir('ad-wireshark-')); });
  afterEach(() => t.cleanup());

  it('finds wireshark on PATH and starts it with -r FILE -g N as separate arguments', async () => {
    const bin = join(t.dir, 'bin');
    await mkdir(bin);
    const record = join(t.dir, 'args.txt');
    await writeFile(join(bin, 'wireshark'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${record}'\n`, { mode: 0o755 });
    expect(await wiresharkLauncher({ pathVar: join(t.dir, 'nothing-here') }).available()).toBe(false);
    const w = wiresharkLauncher({ pathVar: bin });
    expect(await w.available()).toBe(true);
    const file = join(t.dir, 'a b; touch pwned $(id).pcap');
    await w.open(file, 42);
    await expect.poll(() => readFile(record, 'utf8').catch(() => ''), { timeout: 5000 }).toBe(`-r\n${file}\n-g\n42\n`);
  });
});

describe('wiresharkLauncher without Wireshark', () => {
  it('says it is not installed rather than starting anything', async () => {
    const w = wiresharkLauncher({ pathVar: '/nonexistent' });
    expect(await w.available()).toBe(false);
    await expect(w.open('/tmp/x.pcap', 1)).rejects.toThrow('Wireshark is not installed (no wireshark on PATH)');
  });
});
