/**
 * electron/main/file-handles.ts: the window names files only by handles main
 * gave out for a dialog's choice or a dropped file; a path, a made-up handle
 * or an expired one is refused.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_HANDLE } from '../../../electron/common/file-handles';
import { FileHandles } from '../../../electron/main/file-handles';
import { synfloodCase, tempDir } from '../helpers';

const pcap = join(synfloodCase, 'www-border.pcap');
const tmp = tempDir('ad-handles-');
afterAll(() => tmp.remove());

const code = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('FileHandles', () => {
  it('resolves a handle it gave for a dropped file, with the file name and size', async () => {
    const h = new FileHandles();
    const ref = await h.registerDropped(pcap);
    expect(ref.ref).toMatch(FILE_HANDLE);
    expect(ref).toMatchObject({ name: 'www-border.pcap', size: statSync(pcap).size });
    expect(await h.resolveFile(ref.ref)).toEqual({ path: pcap, name: 'www-border.pcap' });
  });

  it('refuses paths, whatever they name', async () => {
    const h = new FileHandles();
    await h.registerDropped(pcap);
    for (const p of [pcap, '/etc/passwd', 'relative/x.pcap', `file://${pcap}`, 'upload:00000000000000000000000000000000']) {
      expect(await code(h.resolveFile(p)), p).toBe('forbidden');
      expect(await code(h.resolveFileOrFolder(p)), p).toBe('forbidden');
    }
  });

  it('refuses a well-formed handle it never gave', async () => {
    const h = new FileHandles();
    expect(await code(h.resolveFile(`file:${'0'.repeat(32)}`))).toBe('not_found');
  });

  it('keeps handles apart per map (a handle of another session means nothing)', async () => {
    const a = new FileHandles();
    const b = new FileHandles();
    const ref = await a.registerDropped(pcap);
    expect(await code(b.resolveFile(ref.ref))).toBe('not_found');
  });

  it('refuses to register what is not an absolute path to a regular file', async () => {
    const h = new FileHandles();
    expect(await code(h.registerDropped('relative.pcap'))).toBe('bad_request');
    expect(await code(h.registerDropped(42))).toBe('bad_request');
    expect(await code(h.registerDropped(''))).toBe('bad_request');
    expect(await code(h.registerDropped(tmp.dir))).toBe('bad_request');
    expect(await code(h.registerDropped(join(tmp.dir, 'missing.pcap')))).toBe('not_found');
    expect(() => h.register('x/y')).toThrow(/absolute/);
    expect(h.size).toBe(0);
  });

  it('resolves folders only where folders are allowed (mailboxes), and files that have gone', async () => {
    const h = new FileHandles();
    const dir = join(tmp.dir, 'Maildir');
    mkdirSync(dir);
    const ref = h.register(dir, 'folder');
    expect(await h.resolveFileOrFolder(ref)).toBe(dir);
    expect(await code(h.resolveFile(ref))).toBe('bad_request');
    const gone = h.register(join(tmp.dir, 'gone.pcap'));
    expect(await code(h.resolveFile(gone))).toBe('not_found');
  });

  it('stays bounded: the oldest handles expire first', async () => {
    const h = new FileHandles(3);
    const refs = [h.register(pcap), h.register(pcap), h.register(pcap), h.register(pcap)];
    expect(h.size).toBe(3);
    expect(await code(h.resolveFile(refs[0]))).toBe('not_found');
    expect((await h.resolveFile(refs[3])).path).toBe(pcap);
  });
});
