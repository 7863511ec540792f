/**
 * The packet view behind `evidence:packet`: a packet of a stored case's
 * evidence read from the vault (services/io/packet-reader.ts). The file's
 * SHA-256 is checked the first time it is opened in this session and again
 * whenever its size or modification time changed, so a quoted packet always
 * comes from the evidence as attached without hashing a large capture on every click.
 */
import { stat } from 'node:fs/promises';
import type { PacketView } from '../electron/common/packet-channels';
import { CodedError } from '../electron/common/result';
import { PacketReadError, readPacket } from '../services/io/packet-reader';
import type { CaseStore } from '../store/case-store';
import type { WiresharkLauncher } from './wireshark';

export interface PacketRequest {
  caseId: number;
  evidenceId: number;
  packet: number;
}

export class PacketService {
  /** Evidence verified in this session: its path and the file's size and mtime then. */
  private readonly verified = new Map<number, { caseId: number; path: string; name: string; size: number; mtimeMs: number }>();

  constructor(private readonly store: () => Promise<CaseStore>, private readonly wireshark?: WiresharkLauncher) {}

  private async file(caseId: number, evidenceId: number): Promise<{ path: string; name: string }> {
    const known = this.verified.get(evidenceId);
    if (known) {
      if (known.caseId !== caseId) throw new CodedError('not_found', `case ${caseId} has no evidence ${evidenceId}`);
      const st = await stat(known.path).catch(() => null);
      if (st && st.size === known.size && st.mtimeMs === known.mtimeMs) return known;
      this.verified.delete(evidenceId);
    }
    const { path, evidence } = await (await this.store()).evidencePath(evidenceId);
    // The renderer names the case too: evidence of another case is not found, whatever its id.
    if (evidence.caseId !== caseId) throw new CodedError('not_found', `case ${caseId} has no evidence ${evidenceId}`);
    const st = await stat(path);
    const entry = { caseId, path, name: evidence.originalName, size: st.size, mtimeMs: st.mtimeMs };
    this.verified.set(evidenceId, entry);
    return entry;
  }

  async packet(req: PacketRequest): Promise<PacketView> {
    const { path, name } = await this.file(req.caseId, req.evidenceId);
    try {
      const detail = await readPacket(path, req.packet, { file: name });
      return { ...detail, evidenceId: req.evidenceId, canOpenInWireshark: (await this.wireshark?.available()) ?? false };
    } catch (e) {
      if (e instanceof PacketReadError) throw new CodedError(e.code === 'io' ? 'io_error' : e.code === 'not_found' ? 'not_found' : 'bad_request', e.message);
      throw e;
    }
  }

  async openInWireshark(req: PacketRequest): Promise<{ opened: boolean }> {
    if (!this.wireshark || !(await this.wireshark.available())) throw new CodedError('unsupported', 'Wireshark can be opened only from the desktop app, where it is installed');
    const { path } = await this.file(req.caseId, req.evidenceId);
    await this.wireshark.open(path, req.packet);
    return { opened: true };
  }
}
