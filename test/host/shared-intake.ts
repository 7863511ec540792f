/**
 * The shared-intake scenario, run on SQLite (shared-intake.test.ts) and on
 * PostgreSQL (shared-intake.slow.test.ts): two apps (Alice's and Bob's, each
 * its own data folder with the same IMAP account) on one store fetch one
 * mailbox (the fake IMAP server, holding real complaints of the corpus).
 * Fetching at once, one app fetches and the other is told which app does;
 * the app that fetched keeps the mailbox for the desk; when it quits the other
 * takes over from the shared cursor. Every message is imported exactly once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { StoreHost } from '../../host/case-service';
import { IntakeService } from '../../host/intake-service';
import { AesFileSecretBox } from '../../host/secrets';
import { CaseStore } from '../../store/case-store';
import type { ImportSummary } from '../../store/intake';
import { startFakeImap } from '../services/intake/fake-imap';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/complaints/abuseio');

/** Run the scenario on the store at `location`; app data folders go under `dataRoot`. */
export async function sharedIntakeScenario(location: string, dataRoot: string): Promise<void> {
  // Distinct messages (some corpus mails are variants of one message, with its Message-ID: the store rightly takes those once).
  const ids = new Set<string>();
  const mails = readdirSync(CORPUS).filter((f) => f.endsWith('.eml')).sort().map((f) => readFileSync(join(CORPUS, f)))
    .filter((m) => { const id = /^message-id:\s*(\S+)/im.exec(m.toString('latin1'))?.[1]; return !!id && !ids.has(id) && !!ids.add(id); }).slice(0, 24);
  const box: Buffer[] = mails.slice(0, 12);
  const server = await startFakeImap({ messages: box });
  const apps = ['alice', 'bob'].map((operator) => {
    const dataDir = join(dataRoot, operator);
    const stores = new StoreHost(dataDir, () => CaseStore.open(location, { operator }));
    const intake = new IntakeService({ stores, dataDir, secrets: new AesFileSecretBox(dataDir), ourNets: () => ['198.51.100.0/24'] });
    intake.setAccount({ host: '127.0.0.1', port: server.port, tls: false, allowPlaintextLogin: true, user: 'desk', folder: 'INBOX', markSeen: false, intervalMinutes: 0, password: 'pw' });
    return { operator, stores, intake };
  });
  const summaries: ImportSummary[] = [];
  const fetched = (s: ImportSummary): ImportSummary => { summaries.push(s); return s; };
  try {
    // Both fetch at the same moment: one app fetches, the other is told which one does.
    const first = await Promise.allSettled(apps.map((a) => a.intake.fetch()));
    const w = first.findIndex((r) => r.status === 'fulfilled');
    expect(w, JSON.stringify(first)).toBeGreaterThanOrEqual(0);
    const [winner, other] = [apps[w], apps[1 - w]];
    expect(fetched((first[w] as PromiseFulfilledResult<ImportSummary>).value).messages).toBe(12);
    const refused = (first[1 - w] as PromiseRejectedResult).reason as { code: string; message: string };
    expect(refused.code).toBe('busy');
    expect(refused.message).toMatch(new RegExp(`^IMAP: not fetched by this app: ${winner.operator} on ${hostname()} \\(pid ${process.pid}, app [0-9a-f]{6}\\) fetches INBOX of desk at 127\\.0\\.0\\.1 for the desk`));
    expect(other.intake.getAccount()?.lastFetch).toMatchObject({ ok: false, error: refused.message });

    // More mail: the app that fetched keeps the mailbox; the other is still refused.
    box.push(...mails.slice(12, 18));
    await expect(other.intake.fetch()).rejects.toMatchObject({ code: 'busy' });
    expect(fetched(await winner.intake.fetch()).messages).toBe(6);

    // The fetching app quits: the other takes the mailbox over from the shared cursor.
    winner.intake.dispose();
    const store = await other.stores.get();
    for (let i = 0; i < 100 && await store.leases.of('imap:desk@127.0.0.1:' + server.port + '/INBOX'); i++) await new Promise((r) => setTimeout(r, 20));
    box.push(...mails.slice(18));
    expect(fetched(await other.intake.fetch()).messages).toBe(6);
    expect(fetched(await other.intake.fetch()).messages).toBe(0);

    // Every message once: 24 fetched, none twice, 24 stored.
    expect(summaries.reduce((n, s) => n + s.messages, 0)).toBe(24);
    expect(summaries.reduce((n, s) => n + s.counts['already-imported'], 0)).toBe(0);
    expect((await store.getImapCursor(`desk@127.0.0.1:${server.port}`, 'INBOX'))?.lastUid).toBe(24);
    const cases = await store.listCases({ limit: 500 });
    let stored = 0;
    for (const c of cases.items) stored += (await store.messagesOf(c.id)).length;
    expect(stored).toBe(24);
  } finally {
    for (const a of apps) { a.intake.dispose(); await a.stores.close(); }
    await server.stop();
  }
}
