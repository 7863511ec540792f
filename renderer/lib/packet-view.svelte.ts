import { getContext, setContext } from 'svelte';
import { call } from './call';
import type { AbuseDeskApi, EvidenceRecord, PacketView, ResultEvidenceRef } from './types';

/** The stored evidence file a result's reference names: by the name the reader reported, as the store matches runs to files. */
export function evidenceFor(evidence: EvidenceRecord[], file: string): EvidenceRecord | undefined {
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  return evidence.find((e) => e.originalName === file)
    ?? evidence.find((e) => base(e.originalName) === base(file))
    ?? evidence.find((e) => e.sha256 === base(file));
}

/**
 * The packet view of one result: which quoted packet is open, read from the
 * stored case's evidence through `evidence:packet`. The result's evidence
 * tables find it in the component context (`packetOpener()`), so every
 * quoted packet, however deep in a finding, is one click away.
 */
export class PacketViewState {
  view = $state<PacketView | null>(null);
  /** The packet asked for (shown in the dialog's title while it loads). */
  asked = $state<{ file: string; packet: number } | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private evidence: EvidenceRecord[] | null = null;
  private seq = 0;

  constructor(
    private readonly api: AbuseDeskApi,
    readonly caseId: number,
    /** The case's evidence records (fetched once, when the first packet is opened). */
    private readonly loadEvidence: () => Promise<EvidenceRecord[]>,
  ) {}

  get isOpen(): boolean {
    return this.asked !== null;
  }

  async open(ref: Pick<ResultEvidenceRef, 'file' | 'packet'>): Promise<void> {
    if (ref.packet === undefined) return;
    const seq = ++this.seq;
    this.asked = { file: ref.file, packet: ref.packet };
    this.loading = true;
    this.error = null;
    try {
      this.evidence ??= await this.loadEvidence();
      const e = evidenceFor(this.evidence, ref.file);
      if (!e) throw new Error(`${ref.file} is not among this case's evidence files`);
      const view = await call(this.api, 'evidence:packet', { caseId: this.caseId, evidenceId: e.id, packet: ref.packet });
      if (seq === this.seq) this.view = view;
    } catch (err) {
      if (seq === this.seq) {
        this.view = null;
        this.error = err instanceof Error ? err.message : String(err);
      }
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Another packet of the same file (a row of the conversation). */
  async openPacket(packet: number): Promise<void> {
    const file = this.view?.file ?? this.asked?.file;
    if (file) await this.open({ file, packet });
  }

  async openInWireshark(): Promise<void> {
    const v = this.view;
    if (!v) return;
    await call(this.api, 'evidence:openInWireshark', { caseId: this.caseId, evidenceId: v.evidenceId, packet: v.packet });
  }

  close(): void {
    this.seq++;
    this.asked = null;
    this.view = null;
    this.error = null;
    this.loading = false;
  }
}

const KEY = Symbol('packet-opener');

/** Offer the packet view to the evidence tables below (null: the result is not stored, packets cannot be read). */
export function providePacketOpener(state: () => PacketViewState | null): void {
  setContext(KEY, state);
}

/** The packet view of the result this table belongs to, read when called (null: its packets cannot be opened). */
export function packetOpener(): () => PacketViewState | null {
  const get = getContext<(() => PacketViewState | null) | undefined>(KEY);
  return () => get?.() ?? null;
}
