/**
 * Choosing the store (host/desk-host.ts; the rule itself: store-location.test.ts): a --store flag
 * wins for the run, else the shared database saved in the desk settings with
 * its password from the secret box (never in the settings file), else the
 * data folder; the store opens under the settings' operator; the view says
 * what is open and when a saved change waits for the next start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DeskHost } from '../../host/desk-host';
import { osOperator } from '../../host/desk-settings-store';
import { AesFileSecretBox } from '../../host/secrets';
import type { CaseStore, CaseStoreOptions } from '../../store/case-store';
import { tempDir } from '../electron/helpers';

const tmp = tempDir('ad-desk-host-');
const hosts: DeskHost[] = [];
afterEach(async () => {
  while (hosts.length) await hosts.pop()!.close();
});
afterAll(() => tmp.remove());

describe('DeskHost', () => {
  /** A host whose opener records what it was asked to open (no database is reached). */
  function host(dataDir: string, flag?: string) {
    const opened: Array<{ location: string; opts: CaseStoreOptions }> = [];
    const h = new DeskHost({
      dataDir, storeFlag: flag, storePassword: new AesFileSecretBox(dataDir, 'store-password'), emit: () => undefined,
      open: async (location, opts) => {
        opened.push({ location, opts });
        return { operator: opts.operator, readOnlyReason: undefined, watchChanges: async () => async () => undefined, close: async () => undefined } as unknown as CaseStore;
      },
    });
    hosts.push(h);
    return { h, opened };
  }

  it('opens the data folder under the OS user by default, and the saved database with its password once saved', async () => {
    const dir = join(tmp.dir, 'a');
    const first = host(dir);
    await first.h.stores.get();
    expect(first.opened).toEqual([{ location: dir, opts: { operator: osOperator() } }]);
    const view = await first.h.desk.set({ operator: 'dana', store: 'postgres://desk@db.example.net/abuse', storePassword: 'S3cret pw' });
    expect(view).toMatchObject({ operator: osOperator() === 'dana' ? 'dana' : osOperator(), store: 'postgres://desk@db.example.net/abuse', hasStorePassword: true,
      passwordStorage: 'aes-file', openStore: { shown: dir, kind: 'sqlite', from: 'data-dir' }, restartNeeded: true });
    expect(readFileSync(join(dir, 'desk-settings.json'), 'utf8')).not.toContain('S3cret');
    await first.h.close();
    hosts.pop();

    // The next start: the saved database, the password put into the URL only to open it.
    const second = host(dir);
    await second.h.stores.get();
    expect(second.opened).toEqual([{ location: 'postgres://desk:S3cret%20pw@db.example.net/abuse', opts: { operator: 'dana' } }]);
    expect(await second.h.desk.view()).toMatchObject({ operator: 'dana', openStore: { shown: 'postgres://desk@db.example.net/abuse', kind: 'postgres', from: 'settings' }, restartNeeded: false });
    // Back to this machine's store: applies at the next start.
    expect(await second.h.desk.set({ store: null, clearStorePassword: true })).toMatchObject({ store: null, hasStorePassword: false, restartNeeded: true });
  });

  it('a --store flag wins over the settings for the run, and saving another store then asks for no restart', async () => {
    const dir = join(tmp.dir, 'b');
    const { h, opened } = host(dir, 'postgres://ops@10.0.0.5/desk');
    await h.stores.get();
    expect(opened[0].location).toBe('postgres://ops@10.0.0.5/desk');
    expect(await h.desk.set({ store: 'postgres://desk@db.example.net/abuse' })).toMatchObject({ openStore: { from: 'flag' }, restartNeeded: false });
  });
});
