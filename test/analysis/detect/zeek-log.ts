/**
 * Zeek conn.log text in the ASCII writer's TSV layout (the header block of a
 * stock Zeek 6 conn.log), for boundary tests that need many flow records with
 * chosen states. The rows go through the real zeek-conn reader.
 *
 * conn_state / history pairs as Zeek's conn_state() assigns them
 * (base/protocols/conn/main.zeek):
 *   SYN answered by SYN-ACK, never acknowledged: OTH, "Sh"
 *   SYN answered by RST:                          REJ, "Sr"
 *   SYN, no answer:                               S0,  "S"
 *   complete session closed by both sides:        SF,  "ShADadFf"
 */
export interface ConnRow {
  ts: number;
  orig: string;
  origPort: number;
  resp: string;
  respPort: number;
  proto?: 'tcp' | 'udp';
  state: string;
  history: string;
  origPkts: number;
  respPkts: number;
  origIpBytes?: number;
  respIpBytes?: number;
  duration?: number;
  service?: string;
}

const FIELDS = 'ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents';
const TYPES = 'time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]';

export function connLog(rows: ConnRow[]): string {
  const head = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', '#open\t2025-12-18-00-00-00', `#fields\t${FIELDS}`, `#types\t${TYPES}`];
  const body = rows.map((r, i) => {
    // IP + transport header bytes per packet: ip_bytes less these is the payload Zeek counts in orig_bytes.
    const hdr = r.proto === 'udp' ? 28 : 40;
    const origIp = r.origIpBytes ?? r.origPkts * hdr;
    const respIp = r.respIpBytes ?? r.respPkts * hdr;
    return [
      r.ts.toFixed(6), `C${(i + 1).toString(36).padStart(17, 'x')}`, r.orig, r.origPort, r.resp, r.respPort, r.proto ?? 'tcp', r.service ?? '-',
      (r.duration ?? 0.0001).toFixed(6), Math.max(0, origIp - r.origPkts * hdr), Math.max(0, respIp - r.respPkts * hdr), r.state, 'F', 'T', 0,
      r.history, r.origPkts, origIp, r.respPkts, respIp, '(empty)',
    ].join('\t');
  });
  return [...head, ...body, '#close\t2025-12-18-01-00-00', ''].join('\n');
}
