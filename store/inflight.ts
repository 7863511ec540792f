/**
 * A message that kills the process while it is read (the heap runs out, the
 * parser loops until someone kills it) cannot be quarantined by a catch: the
 * process is gone, the mailbox cursor was never saved, and the next fetch
 * meets the same message and dies again, forever. So each message is
 * announced in a small file before it is read and the file is cleared after:
 * a file found at the next start names the message the last run died on.
 * When the same message (its SHA-256) has stopped the process twice, the
 * third run quarantines it unread instead of reading it again. Twice, not
 * once: an operator's Ctrl-C or a reboot during a healthy message should not
 * set it aside.
 *
 * One file per source (mbox path, Maildir, IMAP account and folder) under
 * DATA/intake-inflight/, so imports of different sources do not meet. A
 * shared (PostgreSQL) store has an address, not a folder: its markers are this
 * machine's, in a private folder per database under the temporary folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { intakeSourceLocation, intakeSourceName } from './intake-rows';
import type { IntakeSource } from './intake-types';

/** Runs a message may stop before it is quarantined unread. */
export const DEATHS_BEFORE_QUARANTINE = 2;

/** `reading`: the message being read now (left behind when the run died); `deaths`: how many runs each message stopped. */
interface Marker { reading: { sha256: string; source: string } | null; deaths: Record<string, number> }

export class InflightMarker {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = /^postgres(ql)?:\/\//i.test(dataDir)
      ? join(tmpdir(), `abuse-desk-inflight-${userInfo().uid}`, createHash('sha256').update(dataDir).digest('hex').slice(0, 16))
      : join(dataDir, 'intake-inflight');
  }

  private fileOf(source: IntakeSource): string {
    return join(this.dir, `${createHash('sha256').update(`${source.kind}\0${intakeSourceLocation(source)}`).digest('hex').slice(0, 32)}.json`);
  }

  private async load(file: string): Promise<Marker> {
    const m = await readFile(file, 'utf8').then((t) => JSON.parse(t) as Marker).catch(() => null);
    return m && typeof m.deaths === 'object' ? m : { reading: null, deaths: {} };
  }

  private async save(file: string, m: Marker): Promise<void> {
    if (!m.reading && !Object.keys(m.deaths).length) { await rm(file, { force: true }); return; }
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(file, JSON.stringify(m), { mode: 0o600 });
  }

  /**
   * Announce a message about to be read. Returns how many earlier runs died
   * reading these same bytes (0 for a message not met before).
   */
  async begin(raw: Uint8Array, source: IntakeSource): Promise<number> {
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const file = this.fileOf(source);
    const m = await this.load(file);
    // Still marked as being read: the run that marked it died on it (a run that lives clears the mark).
    if (m.reading) m.deaths[m.reading.sha256] = (m.deaths[m.reading.sha256] ?? 0) + 1;
    m.reading = { sha256, source: intakeSourceName(source) };
    await this.save(file, m);
    return m.deaths[sha256] ?? 0;
  }

  /** The message was read (or set aside): it is no longer suspect. */
  async end(raw: Uint8Array, source: IntakeSource): Promise<void> {
    const file = this.fileOf(source);
    const m = await this.load(file);
    const sha256 = createHash('sha256').update(raw).digest('hex');
    m.reading = null;
    delete m.deaths[sha256];
    await this.save(file, m);
  }
}

declare const ABUSE_DESK_CLI_BUNDLE: boolean | undefined;

/**
 * Test builds only: ABUSE_DESK_TEST_DIE_READING=TEXT kills the process
 * (SIGKILL, as the kernel's out-of-memory killer would) when a message
 * holding TEXT is about to be read, so a crash test can show the third run
 * setting it aside. Unset (production) it does nothing; the CLI bundle never
 * obeys it.
 */
export function dieReadingInTests(raw: Uint8Array): void {
  const want = process.env.ABUSE_DESK_TEST_DIE_READING;
  if (!want || (typeof ABUSE_DESK_CLI_BUNDLE !== 'undefined' && ABUSE_DESK_CLI_BUNDLE)) return;
  if (Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).includes(want)) process.kill(process.pid, 'SIGKILL');
}
