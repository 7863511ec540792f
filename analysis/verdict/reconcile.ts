import type { Finding } from '../detect/detector';

/**
 * Where two detectors describe the same packets in opposite ways, the more
 * specific reading wins before the findings are weighed.
 *
 * A reflection flood is, packet for packet, "our server answering UDP
 * requests from their address": the server-answering detector sees the
 * requests and our answers and calls it legitimate service, the reflection
 * detector sees that the requests were forged (identical, at flood rate,
 * answered many times their size) and calls it backscatter. The forged
 * reading explains everything the other does and more, so a server-answering
 * finding made only of UDP sessions between the same server and client is
 * set aside (kept in `setAside` for the notes), never weighed against it.
 */
export function reconcile(findings: Finding[]): { kept: Finding[]; setAside: Array<{ finding: Finding; why: string }> } {
  const reflected = findings.filter((f) => f.id === 'reflection-amplification');
  const setAside: Array<{ finding: Finding; why: string }> = [];
  const kept = findings.filter((f) => {
    if (f.id !== 'server-answering-clients' || !f.facts) return true;
    const udpOnly = f.facts.tcpSessions === 0;
    const same = reflected.find((r) => r.facts?.server === f.facts!.server && r.facts?.target === f.facts!.client);
    if (!udpOnly || !same) return true;
    setAside.push({ finding: f, why: `the same UDP exchange is a reflection flood (${same.summary})` });
    return false;
  });
  return { kept, setAside };
}
