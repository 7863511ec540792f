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
    const asked = askedFor(f, findings);
    if (asked) {
      setAside.push({ finding: f, why: `every ${asked.facts?.kind === 'traceroute-replies' ? 'message' : 'connection'} it counts answers a request of theirs (${asked.summary.replace(/\.$/, '')})` });
      return false;
    }
    if (f.id !== 'server-answering-clients' || !f.facts) return true;
    const udpOnly = f.facts.tcpSessions === 0;
    const same = reflected.find((r) => r.facts?.server === f.facts!.server && r.facts?.target === f.facts!.client);
    if (!udpOnly || !same) return true;
    setAside.push({ finding: f, why: `the same UDP exchange is a reflection flood (${same.summary})` });
    return false;
  });
  return { kept, setAside };
}

/** Scan types made of TCP connection attempts: the only packets a request of theirs can explain (answer-to-their-request's openings). */
const CONNECT_SCANS = new Set(['SYN', 'connect']);
/** The port each request kind makes us connect to, when it is always the same one. */
const ASKED_PORTS: Record<string, string> = { 'ident-callback': 'tcp/113' };

/**
 * ICMP errors quoting packets with their address as source read as
 * backscatter of forged packets; when each one answers a traceroute probe of
 * theirs seen earlier (TTL 1, or UDP to 33434 and up), their address was not
 * forged: they ran the traceroute. Set aside when the traceroute answers
 * account for every ICMP message icmp-backscatter counted to that target.
 */
function tracerouteFor(f: Finding, findings: Finding[]): Finding | undefined {
  return findings.find((a) => a.id === 'answer-to-their-request' && a.facts?.kind === 'traceroute-replies'
    && a.facts.host === f.facts!.server && a.facts.peer === f.facts!.target && a.facts.unmatched === 0 && a.facts.unchecked === 0
    && a.facts.complete === true && Number(a.facts.count) >= Number(f.facts!.answers));
}

/**
 * An outbound scan whose every attempt was asked for: active-mode FTP data
 * connections to the ports a client named in PORT/EPRT, ident callbacks to
 * the hosts that connected to us, are "our host opening many connections"
 * to a scan detector. Set aside when answer-to-their-request accounts for
 * all of it: a vertical scan whose every target had all our connections to
 * it answer a request of theirs, or a sweep of a port only one kind of
 * request makes us connect to, when that host sent no such connection
 * unasked (nothing past the detector's bounds either).
 */
function askedFor(f: Finding, findings: Finding[]): Finding | undefined {
  if (f.id === 'icmp-backscatter' && f.facts) return tracerouteFor(f, findings);
  if (f.detector !== 'outbound-scan' || !f.facts || !CONNECT_SCANS.has(String(f.facts.scanType))) return undefined;
  const scanner = f.facts.scanner;
  const answers = findings.filter((a) => a.id === 'answer-to-their-request' && a.facts?.host === scanner && a.facts.complete === true);
  if (f.id === 'outbound-port-scan' && Array.isArray(f.facts.targets)) {
    const targets = (f.facts.targets as string[]).map((t) => t.split(' ')[0]);
    const all = targets.map((t) => answers.find((a) => a.facts!.peer === t && a.facts!.unmatched === 0 && a.facts!.unchecked === 0));
    return all.every(Boolean) ? all[0] : undefined;
  }
  const ports = f.facts.ports;
  if (f.id === 'outbound-sweep' && Array.isArray(ports) && ports.length === 1) {
    return answers.find((a) => ASKED_PORTS[String(a.facts!.kind)] === String(ports[0]) && a.facts!.shapeUnmatched === 0);
  }
  return undefined;
}
