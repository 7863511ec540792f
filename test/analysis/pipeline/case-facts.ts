import { expect } from 'vitest';
import type { AnalysisResult } from '../../../analysis/pipeline';
import type { PacketFacts } from '../../helpers/reply-evidence';

/**
 * The facts a reply must state for a case, recounted from the capture
 * itself (not from the engine's findings): for backscatter our answers to
 * the complainant and the flood behind them, for legitimate traffic the
 * connections the complainant's side opened, for a compromise the UDP bursts'
 * source port, payload size and number. Each count is the capture's, so a
 * reply that says the right words with the wrong numbers fails.
 */
export function expectCaseFacts(r: AnalysisResult, exp: { verdict: string; accused: string }, packets: PacketFacts[]): void {
  const body = r.draft.body;
  const a = exp.accused;
  const targets = r.complaint.targets.length ? r.complaint.targets : [...new Set(packets.filter((p) => p.src === a).map((p) => p.dst))];
  if (exp.verdict === 'backscatter') {
    for (const t of targets) {
      const answers = packets.filter((p) => p.src === a && p.dst === t && (p.flags === 'SA' || p.flags?.includes('R')));
      if (!answers.length) continue;
      const synAcks = answers.filter((p) => p.flags === 'SA').length;
      const kinds = [synAcks ? `${synAcks} SYN-ACK` : '', answers.length - synAcks ? `${answers.length - synAcks} RST` : ''].filter(Boolean).join(' and ');
      const sports = [...new Set(answers.map((p) => p.sport))];
      const ports = new Set(answers.map((p) => p.dport)).size;
      expect(body).toContain(`Everything ${a} sent to ${t} was ${kinds} answers from port ${sports.join(', ')} to ${ports} different ports`);
      for (const port of sports) {
        const syns = packets.filter((p) => p.dst === a && p.dport === port && p.flags === 'S');
        const sources = new Set(syns.map((p) => p.src)).size;
        expect(body).toContain(`${a} port ${port} received a SYN flood: ${syns.length} SYNs from ${sources} different source addresses`);
      }
    }
  } else if (exp.verdict === 'legitimate') {
    for (const t of targets) {
      const syns = packets.filter((p) => p.src === t && p.dst === a && p.flags === 'S');
      if (!syns.length) continue;
      const port = syns[0].dport;
      const clientPorts = new Set(syns.map((p) => p.sport)).size;
      expect(body).toContain(`${t} opened ${clientPorts} TCP connections to ${a} port ${port}`);
      expect(body).toContain(`from ${clientPorts} different client ports`);
    }
  } else if (exp.verdict === 'compromise') {
    const udp = packets.filter((p) => p.src === a && p.proto === 'udp');
    const groups = new Map<string, PacketFacts[]>();
    for (const p of udp) groups.set(`${p.sport}|${p.payloadLength}`, [...(groups.get(`${p.sport}|${p.payloadLength}`) ?? []), p]);
    const [sport, size] = [...groups].sort((x, y) => y[1].length - x[1].length)[0][0].split('|').map(Number);
    expect(body).toContain(`UDP datagrams from source port ${sport}, each ${size} bytes of payload`);
    expect(body).toContain(`${burstsOf(groups.get(`${sport}|${size}`)!)} bursts of about`);
  }
}

/** Runs of at least 3 datagrams to consecutive ports of one address, each within 1 s of the last. */
function burstsOf(ps: PacketFacts[]): number {
  let runs = 0;
  let len = 0;
  let prev: PacketFacts | undefined;
  for (const p of ps) {
    const continues = prev && p.dst === prev.dst && p.dport === prev.dport! + 1 && p.ts - prev.ts <= 1_000_000;
    if (!continues) {
      if (len >= 3) runs++;
      len = 0;
    }
    len++;
    prev = p;
  }
  return runs + (len >= 3 ? 1 : 0);
}
