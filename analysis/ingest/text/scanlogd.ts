/**
 * scanlogd (Openwall) port-scan summaries behind a syslog header:
 *
 *   Mar  5 21:44:43 srv scanlogd: 192.0.2.123 to 192.0.2.1 ports 80, 81, 83, ..., fSrpauxy, TOS 00, TTL 49 @20:44:43
 *
 * Format from scanlogd.c do_log(): the ports are the first few probed ("..."
 * when more followed), then the TCP flags as eight letters "fsrpauxy"
 * (FIN SYN RST PSH ACK URG ECE CWR): upper case when set in every packet,
 * lower case when clear in every packet, "?" when it varied. TOS and TTL are omitted
 * when they varied. The "@HH:MM:SS" is the scan's start, the syslog stamp its report.
 */
import type { NetEvent } from '../../events/event';
import { IPPROTO_TCP, TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, flagWords } from '../../events/event';
import type { LineParser } from '../reader';
import { baseEvent, leadingTime, setAddrs } from './common';

const RECORD = /\bscanlogd(?:\[\d+\])?: (\S+?)(?::\d+)? to (\S+?) ports ([\d, .]*?),? ([fsrpauxyFSRPAUXY?]{8})(?:, TOS ([0-9a-fA-F]{2}))?(?:, TTL (\d+))? @(\d{2}):(\d{2}):(\d{2})/;
const LOOSE = /\bscanlogd(?:\[\d+\])?: \S+ to \S+ ports /;
const FLAG_BITS = [TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR];
const FLAG_LETTERS = 'fsrpauxy';

export const scanlogdParser: LineParser = {
  format: 'scanlogd',
  match(line) {
    if (line.startsWith('#')) return -1;
    if (RECORD.test(line)) return 0.98;
    if (LOOSE.test(line)) return 0.8;
    if (line.includes('scanlogd')) return 0.3;
    return 0;
  },
  parse(line, at, ctx) {
    if (line.startsWith('#')) return null;
    const m = RECORD.exec(line);
    if (!m) {
      if (LOOSE.test(line)) ctx.diag.weird({ code: 'scanlogd_unparsed', file: at.file, line: at.line, offset: at.offset, message: 'scanlogd line in an unknown layout' });
      return null;
    }
    const time = leadingTime(line, ctx);
    if (!time) {
      ctx.diag.weird({ code: 'no_timestamp', file: at.file, line: at.line, offset: at.offset, message: 'scanlogd line without a syslog time stamp' });
      return null;
    }
    const ev: NetEvent = baseEvent('alert', time, line, at);
    setAddrs(ev, m[1], m[2]);
    // scanlogd only watches TCP.
    ev.proto = IPPROTO_TCP;
    const ports: number[] = [];
    for (const p of m[3].split(',')) {
      const t = p.trim();
      if (/^\d{1,5}$/.test(t) && Number(t) <= 65535) ports.push(Number(t));
    }
    const more = m[3].includes('...');
    ev.ports = ports;
    ev.count = ports.length;
    const decoded = decodeFlags(m[4]);
    if (decoded.always !== undefined) ev.tcpFlags = decoded.always;
    if (m[6]) ev.ttl = Number(m[6]);
    ev.message = `port scan of ${ports.length}${more ? '+' : ''} ports, flags ${decoded.text}, started ${m[7]}:${m[8]}:${m[9]}`;
    return ev;
  },
};

/**
 * "fSrpauxy" -> always-set bits (SYN) and a description. When every letter is
 * definite the bits are exact; '?' letters are reported in words only.
 */
export function decodeFlags(s: string): { always?: number; sometimes: number; text: string } {
  let always = 0;
  let sometimes = 0;
  let definite = true;
  for (let i = 0; i < 8; i++) {
    const c = s[i];
    if (c === '?') { sometimes |= FLAG_BITS[i]; definite = false; } else if (c !== FLAG_LETTERS[i]) always |= FLAG_BITS[i];
  }
  const words = always ? flagWords(always) : 'none';
  const text = definite ? words : `${words} always, ${flagWords(sometimes)} varying`;
  return { always: definite || always ? always : undefined, sometimes, text };
}
