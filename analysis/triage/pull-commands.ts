import type { Complaint } from '../complaint/complaint';
import { isAddress } from '../util/net';
import { isoUtc, utcFields, utcStamp } from '../util/utc';

/** One thing to fetch before deciding, as a command to paste on our side (or to ask the complainant for). */
export interface PullCommand {
  /** `tcpdump`, `tshark`, `ra`, `journalctl`, `zgrep`, or `complainant` for what only they can look at. */
  tool: string;
  purpose: string;
  command: string;
}

/** The time span to pull, in UTC. Absent bounds mean the complaint gives no time at all. */
export interface PullWindow {
  /** ISO 8601, UTC ("2025-12-18T00:25:00Z"). */
  from?: string;
  to?: string;
  /** Microseconds since the epoch, UTC. */
  fromUs?: number;
  toUs?: number;
  /** True when the complaint's times lacked a zone or year, or the window rests on its Date: header. */
  inferred: boolean;
  /** How the window was chosen, in words. */
  basis: string;
}

/** Margin around stated times: clocks drift and sensors report the end of a scan. */
export const MARGIN_MINUTES = 15;
/** A local time with no zone can be UTC-12 to UTC+14 (the full analysis searches the same span for an offset). */
const ZONE_EAST_H = 14;
const ZONE_WEST_H = 12;
/** A complaint with no time in it is usually written within a day of what it reports. */
const DATE_ONLY_LOOKBACK_H = 24;
/** Times this far from the median of the complaint's times are misreadings, not the incident. */
const OUTLIER_DAYS = 7;

const MIN = 60_000_000;
const HOUR = 60 * MIN;

/**
 * The window to pull: the complaint's earliest to latest time (its own and
 * its quoted lines') with a margin of 15 minutes. A time whose zone or year
 * was assumed could be anywhere between UTC-12 and UTC+14, so the window
 * widens by that much; with no time at all, the day before its Date: header.
 */
export function complaintWindow(c: Complaint): PullWindow {
  const all: Array<{ ts: number; assumed: boolean }> = [
    ...c.times.filter((t) => Number.isFinite(t.ts)).map((t) => ({ ts: t.ts, assumed: t.zoneAssumed })),
    ...c.quotedEvents.filter((e) => Number.isFinite(e.ts)).map((e) => ({ ts: e.ts, assumed: e.timeInferred === true })),
  ];
  // A stray match (a year read from "ssh2") must not stretch the window over years: keep the times near the median.
  const sorted = all.map((s) => s.ts).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const stamps = all.filter((s) => Math.abs(s.ts - median) <= OUTLIER_DAYS * 24 * HOUR);
  const dropped = all.length - stamps.length;
  if (stamps.length > 0) {
    const first = Math.min(...stamps.map((s) => s.ts));
    const last = Math.max(...stamps.map((s) => s.ts));
    const assumed = stamps.some((s) => s.assumed);
    const fromUs = first - MARGIN_MINUTES * MIN - (assumed ? ZONE_EAST_H * HOUR : 0);
    const toUs = last + MARGIN_MINUTES * MIN + (assumed ? ZONE_WEST_H * HOUR : 0);
    const outliers = dropped ? `; ${dropped} time(s) more than ${OUTLIER_DAYS} days from the others were left out` : '';
    return {
      from: isoUtc(fromUs), to: isoUtc(toUs), fromUs, toUs, inferred: assumed || dropped > 0,
      basis: (assumed
        ? `the complaint's times (${isoUtc(first)} to ${isoUtc(last)} if they were UTC) carry no zone or year: widened by ${ZONE_EAST_H} h before and ${ZONE_WEST_H} h after (any zone from UTC-12 to UTC+14), plus ${MARGIN_MINUTES} min`
        : `the complaint's times ${isoUtc(first)} to ${isoUtc(last)}, plus and minus ${MARGIN_MINUTES} min`) + outliers,
    };
  }
  if (c.dateMs !== undefined && Number.isFinite(c.dateMs)) {
    const sent = c.dateMs * 1000;
    const fromUs = sent - DATE_ONLY_LOOKBACK_H * HOUR;
    const toUs = sent + MARGIN_MINUTES * MIN;
    return {
      from: isoUtc(fromUs), to: isoUtc(toUs), fromUs, toUs, inferred: true,
      basis: `the complaint states no time: the ${DATE_ONLY_LOOKBACK_H} h before it was sent (Date: ${isoUtc(sent)}); ask for exact times`,
    };
  }
  return { inferred: true, basis: 'the complaint states no time and has no Date: header: the commands search everything; ask for exact times' };
}

/** What to filter on. */
export interface PullSubject {
  /** Our addresses. */
  accused: string[];
  /** Theirs (may be empty). */
  targets: string[];
  /** Ports to narrow on (at most a few; more means a scan, and the hosts are filter enough). */
  ports: number[];
  protocol?: 'tcp' | 'udp' | 'icmp';
  /** Login services attacked from our host: flow records count the sessions. */
  bruteForcePorts?: number[];
}

/** argus/nfdump time: "2025/12/18.00:40:01". */
function raTime(us: number): string {
  const f = utcFields(us);
  return `${f.date.replaceAll('-', '/')}.${f.time}`;
}

/** Single-quote for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** BPF (tcpdump capture/read filter; argus ra uses the same grammar): host A and (host B or host C) and (tcp port 80 or ...). */
export function bpfFilter(s: PullSubject): string {
  const parts: string[] = [];
  const or = (xs: string[]): string => (xs.length === 1 ? xs[0] : `(${xs.join(' or ')})`);
  if (s.accused.length) parts.push(or(s.accused.map((a) => `host ${a}`)));
  if (s.targets.length) parts.push(or(s.targets.map((a) => `host ${a}`)));
  const proto = s.protocol === 'tcp' || s.protocol === 'udp' ? `${s.protocol} ` : '';
  if (s.ports.length) parts.push(or(s.ports.map((p) => `${proto}port ${p}`)));
  else if (s.protocol) parts.push(s.protocol);
  return parts.join(' and ');
}

/** Wireshark display filter for tshark -Y, including the window as epoch seconds (zone-proof). */
export function displayFilter(s: PullSubject, w: PullWindow): string {
  const addrField = (a: string): string => (a.includes(':') ? 'ipv6.addr' : 'ip.addr');
  const or = (xs: string[]): string => (xs.length === 1 ? xs[0] : `(${xs.join(' || ')})`);
  const parts: string[] = [];
  if (s.accused.length) parts.push(or(s.accused.map((a) => `${addrField(a)} == ${a}`)));
  if (s.targets.length) parts.push(or(s.targets.map((a) => `${addrField(a)} == ${a}`)));
  if (s.ports.length) {
    const set = `{${s.ports.join(' ')}}`;
    if (s.protocol === 'tcp' || s.protocol === 'udp') parts.push(`${s.protocol}.port in ${set}`);
    else parts.push(`(tcp.port in ${set} || udp.port in ${set})`);
  } else if (s.protocol) parts.push(s.protocol);
  if (w.fromUs !== undefined && w.toUs !== undefined) {
    parts.push(`frame.time_epoch >= ${Math.floor(w.fromUs / 1e6)} && frame.time_epoch <= ${Math.ceil(w.toUs / 1e6)}`);
  }
  return parts.join(' && ');
}

/** An extended regex for netfilter LOG lines (SRC=... DST=...) between our hosts and theirs, either way. */
export function firewallPattern(s: PullSubject): string {
  const acc = s.accused.map(escapeRe);
  const tgt = s.targets.map(escapeRe);
  const group = (xs: string[]): string => (xs.length === 1 ? xs[0] : `(${xs.join('|')})`);
  if (!acc.length) return tgt.length ? `(SRC|DST)=${group(tgt)} ` : 'SRC=';
  if (!tgt.length) return `(SRC|DST)=${group(acc)} `;
  return `SRC=${group(acc)} .*DST=${group(tgt)} |SRC=${group(tgt)} .*DST=${group(acc)} `;
}

/**
 * The commands to run on our side for the window, in UTC: our captures
 * (tcpdump read filter, tshark display filter with the window, a capture
 * filter if it is still going on), argus flow records (`ra -t`), the firewall
 * log (journalctl) and rotated logs (zgrep). FILE, ARGUS_ARCHIVE and IFACE are
 * placeholders for the operator's own paths.
 */
export function pullCommands(s: PullSubject, w: PullWindow): PullCommand[] {
  const bpf = bpfFilter(s);
  const when = w.from && w.to ? `${w.from} to ${w.to} (UTC)` : 'no time known: everything';
  const out: PullCommand[] = [];
  out.push({
    tool: 'tshark',
    purpose: `Our capture, only the packets between the hosts in the window ${when}; -t ud prints UTC dates.`,
    command: `tshark -n -t ud -r FILE -Y ${shellQuote(displayFilter(s, w))}`,
  });
  out.push({
    tool: 'tcpdump',
    purpose: `The same with tcpdump (BPF read filter; it cannot cut by time, so TZ=UTC -tttt prints UTC dates to compare with ${when}).`,
    command: `TZ=UTC tcpdump -nn -e -tttt -r FILE ${shellQuote(bpf)}`,
  });
  out.push({
    tool: 'tcpdump',
    purpose: 'If it is still going on: capture it now (capture filter), with link-layer headers.',
    command: `tcpdump -nn -e -i IFACE -s 0 -w case-${(s.accused[0] ?? 'host').replace(/:/g, '_')}.pcap ${shellQuote(bpf)}`,
  });
  const raWindow = w.fromUs !== undefined && w.toUs !== undefined ? ` -t ${raTime(w.fromUs)}-${raTime(w.toUs)}` : '';
  out.push({
    tool: 'ra',
    purpose: s.bruteForcePorts?.length
      ? `Argus flow records of our host's sessions to port ${s.bruteForcePorts.join(', ')} (${when}): many short sessions, each a login attempt, confirm the guessing; TZ=UTC makes ra read and print the times as UTC.`
      : `Argus flow records between the hosts (${when}); TZ=UTC makes ra read -t and print times in UTC.`,
    command: `TZ=UTC ra -n -r ARGUS_ARCHIVE${raWindow} - ${bpf}`,
  });
  const pattern = shellQuote(firewallPattern(s));
  out.push({
    tool: 'journalctl',
    purpose: `Our firewall's kernel log (netfilter LOG) for the window ${when}, either direction.`,
    command: w.from && w.to && w.fromUs !== undefined && w.toUs !== undefined
      ? `journalctl -k --utc --since "${utcStamp(w.fromUs)} UTC" --until "${utcStamp(w.toUs)} UTC" | grep -E ${pattern}`
      : `journalctl -k --utc | grep -E ${pattern}`,
  });
  out.push({
    tool: 'zgrep',
    purpose: `Rotated firewall logs (plain and .gz); their syslog times are in the logging host's zone, so compare with ${when} after converting.`,
    command: `zgrep -hE ${pattern} /var/log/kern.log* /var/log/syslog* /var/log/ufw.log*`,
  });
  return out;
}

/** For the complainant: who put packets with an impossible source on their wire. */
export function macTracePull(addr: string): PullCommand {
  const filter = isAddress(addr) ? `src host ${addr}` : 'src host ADDRESS';
  return {
    tool: 'complainant',
    purpose: `Trace the MAC: only the link layer shows which machine on their own segment sends packets "from" ${addr}. Ask them to run this on the sensor's segment, then look the MAC up in the switch (e.g. "show mac address-table address MAC").`,
    command: `tcpdump -nn -e -i IFACE -c 50 ${shellQuote(filter)}`,
  };
}
