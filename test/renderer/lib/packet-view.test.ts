import { describe, expect, it } from 'vitest';
import { evidenceFor, PacketViewState } from '../../../renderer/lib/packet-view.svelte';
import type { EvidenceRecord } from '../../../renderer/lib/types';
import { FakeApi } from '../fake-api';

const rec = (id: number, originalName: string, sha256 = String(id).repeat(64).slice(0, 64)) => ({ id, originalName, sha256 } as EvidenceRecord);
const evidence = [rec(1, 'www-border.pcap'), rec(2, '/home/op/captures/lan-span.pcap'), rec(3, 'renamed.pcap', 'ab'.repeat(32))];

function fakePackets() {
  const fake = new FakeApi();
  let release: (() => void) | undefined;
  fake.handlers['evidence:packet'] = async (r) => {
    const q = r as { evidenceId: number; packet: number };
    if (q.packet === 99) await new Promise<void>((done) => { release = done; });
    const file = evidence.find((e) => e.id === q.evidenceId)!.originalName.split('/').pop();
    return { ok: true, value: { file, packet: q.packet, evidenceId: q.evidenceId, canOpenInWireshark: true } as never };
  };
  fake.handlers['evidence:openInWireshark'] = () => ({ ok: true, value: { opened: true } });
  return { fake, releaseSlow: () => release?.() };
}

describe('the packet view of a result', () => {
  it('finds the stored file a reference names: by name, by base name, or by its SHA-256 (the vault\'s name)', () => {
    expect(evidenceFor(evidence, 'www-border.pcap')?.id).toBe(1);
    expect(evidenceFor(evidence, 'lan-span.pcap')?.id).toBe(2);
    expect(evidenceFor(evidence, 'ab'.repeat(32))?.id).toBe(3);
    expect(evidenceFor(evidence, 'other.pcap')).toBeUndefined();
  });

  it('reads the packet of the case\'s file, loading the evidence list once; Wireshark opens at the packet shown', async () => {
    const { fake } = fakePackets();
    let loads = 0;
    const s = new PacketViewState(fake.api, 7, async () => { loads++; return evidence; });
    await s.open({ file: 'lan-span.pcap', packet: 17 });
    await s.openPacket(18);
    expect(fake.callsTo('evidence:packet')).toEqual([{ caseId: 7, evidenceId: 2, packet: 17 }, { caseId: 7, evidenceId: 2, packet: 18 }]);
    expect([loads, s.view?.packet, s.isOpen, s.error]).toEqual([1, 18, true, null]);
    await s.openInWireshark();
    expect(fake.callsTo('evidence:openInWireshark')).toEqual([{ caseId: 7, evidenceId: 2, packet: 18 }]);
    s.close();
    expect([s.isOpen, s.view]).toEqual([false, null]);
  });

  it('says when a file is not among the case\'s, and a slow answer does not replace a later one', async () => {
    const { fake, releaseSlow } = fakePackets();
    const s = new PacketViewState(fake.api, 7, async () => evidence);
    await s.open({ file: 'elsewhere.pcap', packet: 1 });
    expect(s.error).toBe('elsewhere.pcap is not among this case\'s evidence files');
    const slow = s.open({ file: 'www-border.pcap', packet: 99 });
    await new Promise((r) => setTimeout(r, 10));
    await s.open({ file: 'www-border.pcap', packet: 5 });
    releaseSlow();
    await slow;
    expect(s.view?.packet).toBe(5);
  });
});
