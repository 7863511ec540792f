/**
 * evidence:packet's host side: a packet of a stored case's evidence read from
 * the vault, only through the case that holds it, refused loudly when the
 * vault file no longer matches its SHA-256 (Wireshark itself: wireshark.test.ts).
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PacketService } from '../../host/packet-service';
import { corpusDir } from '../helpers/paths';
import { useTempStore } from '../store/store-fixture';

const CAPTURE = join(corpusDir, 'pcap', 'zeek__http_get-to-ssh-server.pcap');

describe('PacketService', () => {
  const t = useTempStore();

  it('reads a packet of the case\'s evidence from the vault, and only through that case', async () => {
    const caseId = await t.addCase({ accused: ['198.51.100.10'] });
    const other = await t.addCase({ accused: ['198.51.100.11'] });
    const ev = await t.store.attachEvidence(caseId, { path: CAPTURE, originalName: 'border.pcap' });
    const packets = new PacketService(async () => t.store);
    const view = await packets.packet({ caseId, evidenceId: ev.id, packet: 4 });
    expect(view.file).toBe('border.pcap');
    expect(view.packet).toBe(4);
    expect(view.layers.map((l) => l.name)).toEqual(['Ethernet II', 'IPv4', 'TCP']);
    // tshark: tcp.flags 0x0018, ·······AP···
    expect(view.layers[2].fields.find((f) => f.name === 'Flags')?.value).toBe('0x018 (PSH, ACK)');
    expect(view.canOpenInWireshark).toBe(false);
    expect(view.conversation?.packets.some((p) => p.packet === 4)).toBe(true);
    await expect(packets.packet({ caseId: other, evidenceId: ev.id, packet: 4 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(packets.packet({ caseId, evidenceId: ev.id, packet: 10_000 })).rejects.toMatchObject({ code: 'not_found', message: /there is no packet 10000/ });
    await expect(packets.openInWireshark({ caseId, evidenceId: ev.id, packet: 4 })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('refuses a vault file changed behind the store\'s back', async () => {
    const caseId = await t.addCase({ accused: ['198.51.100.10'] });
    const ev = await t.store.attachEvidence(caseId, { path: CAPTURE, originalName: 'border.pcap' });
    const { path } = await t.store.evidencePath(ev.id);
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 0xff;
    await chmod(path, 0o600);
    await writeFile(path, bytes);
    await expect(new PacketService(async () => t.store).packet({ caseId, evidenceId: ev.id, packet: 1 })).rejects.toMatchObject({ code: 'custody_mismatch' });
  });
});
