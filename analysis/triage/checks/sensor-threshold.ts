import { IPPROTO_TCP, TCP_ACK, TCP_RST, TCP_SYN, type NetEvent } from '../../events/event';
import type { Finding } from '../../detect/detector';
import { ref } from '../../detect/excerpt';
import { alarmsMatching, claimedUnit, type SensorAlarm } from '../../sensors/alarms';
import { replayScanlogd, SCANLOGD_WEIGHT_THRESHOLD } from '../../sensors/scanlogd';
import { SFPORTSCAN_ALARMS } from '../../sensors/sfportscan';
import { thresholdText } from '../../sensors/threshold-text';
import { ZEEK_FAILED_STATES, ZEEK_PORT_THRESHOLD } from '../../sensors/zeek-scan';
import type { TriageCheck, TriageContext } from '../context';

/** sfPortscan's lowest port count (sense level low): SYNs to that many ports are enough for some level. */
const SF_FEWEST_PORTS = Math.min(...SFPORTSCAN_ALARMS.map((a) => a.count));

/** Which sensor reported it: the complaint's word, else what its quoted lines look like. */
export function sensorOf(ctx: TriageContext): string | undefined {
  const named = ctx.complaint.sensor?.toLowerCase();
  if (named) return named;
  const q = ctx.complaint.quotedEvents;
  if (q.some((e) => /scanlogd/i.test(e.raw ?? ''))) return 'scanlogd';
  if (q.some((e) => /^122:/.test(e.rule ?? '') || /snort|\(portscan\)/i.test(e.raw ?? ''))) return 'snort';
  if (q.some((e) => e.flow?.history !== undefined)) return 'zeek';
  return undefined;
}

const describeAlarm = (a: SensorAlarm): string => `${a.sensor}'s ${a.rule} (${a.count} ${a.unit}${a.windowS ? ` in ${a.windowS} s` : ''})`;

/**
 * The reporter's sensor and its threshold, and whether the lines the
 * complaint quotes could have tripped it. A sensor that fires on packets it
 * is meant to ignore (replies) points to replies or forged traffic; a stated
 * count that equals a default alarm threshold (of the named sensor, when one
 * is named) says only "it tripped".
 */
export const sensorThreshold: TriageCheck = {
  id: 'sensor-threshold',
  check(ctx: TriageContext): Finding[] {
    const sensor = sensorOf(ctx);
    const c = ctx.complaint;
    const unit = c.claimedCount === undefined ? undefined : claimedUnit(`${c.subject ?? ''}\n${c.text}`, c.claimedCount);
    const tripped = alarmsMatching(c.claimedCount, unit, sensor);
    if (!sensor && !tripped.length) return [];
    const facts: Record<string, string | number | boolean> = { sensor: sensor ?? 'unknown' };
    const said: string[] = [];
    const packets = ctx.fromAccused.filter((e) => e.proto === IPPROTO_TCP && e.tcpFlags !== undefined && e.dport !== undefined).sort((a, b) => a.ts - b.ts);
    let evidence: NetEvent[] = [];
    const threshold = thresholdText(sensor);
    if (sensor === 'scanlogd') {
      if (packets.length) {
        const r = replayScanlogd(packets);
        facts.wouldFire = r.fired;
        facts.weight = r.weight;
        evidence = r.packets.length ? r.packets : packets;
        said.push(r.fired
          ? `the quoted packets reach weight ${r.weight}: they could have tripped it`
          : `the quoted packets reach weight ${r.weight} of ${SCANLOGD_WEIGHT_THRESHOLD}${r.ignoredAck ? ` (${r.ignoredAck} had ACK or RST set, which scanlogd ignores)` : ''}: they could not have tripped it, so it fired on other packets (ask for them)`);
      }
    } else if (sensor === 'snort' || sensor === 'ipcop') {
      const syns = packets.filter((e) => (e.tcpFlags! & (TCP_SYN | TCP_ACK)) === TCP_SYN);
      const alerts = c.quotedEvents.filter((e) => /^122:/.test(e.rule ?? '') || /\(portscan\)/i.test(e.message ?? ''));
      evidence = alerts.length ? alerts : syns;
      if (syns.length) {
        const ports = new Set(syns.map((e) => e.dport)).size;
        facts.synPorts = ports;
        said.push(ports >= SF_FEWEST_PORTS ? `the quoted lines show SYNs from us to ${ports} ports: enough for sense level low` : `the quoted lines show SYNs from us to only ${ports} port(s): below every sense level`);
      } else if (packets.length) {
        said.push('none of the quoted packets from us is a connection attempt: they could not have tripped it');
      }
      const fromService = alerts.filter((e) => e.sport !== undefined && e.src !== undefined && ctx.accused.includes(e.src) && ctx.isServicePort(e.src, e.sport));
      if (fromService.length) {
        facts.alertSourcePort = fromService[0].sport!;
        said.push(`its alert names our service port ${fromService[0].sport} as the source: what it counted came from our server's port, i.e. answers in sessions the clients opened (sfPortscan counts those only with include_midstream, or when the client side resets late packets)`);
      }
    } else if (sensor === 'zeek') {
      const failed = ctx.fromAccused.filter((e) => e.flow?.state && ZEEK_FAILED_STATES.has(e.flow.state));
      if (ctx.fromAccused.some((e) => e.flow)) {
        const byHost = new Map<string, Set<number>>();
        for (const e of failed) { const s = byHost.get(e.dst ?? '') ?? new Set(); if (e.dport !== undefined) s.add(e.dport); byHost.set(e.dst ?? '', s); }
        const max = Math.max(0, ...[...byHost.values()].map((s) => s.size));
        facts.maxFailedPorts = max;
        evidence = failed;
        said.push(max >= ZEEK_PORT_THRESHOLD ? `the quoted connections fail on ${max} ports of one host: they could have tripped it` : `the quoted connections fail on at most ${max} ports of one host (needs ${ZEEK_PORT_THRESHOLD}): they could not have tripped it`);
      }
    }
    if (tripped.length) {
      facts.countEqualsThresholdOf = [...new Set(tripped.map((a) => a.sensor))].join(', ');
      said.push(`"${c.claimedCount}${unit ? ` ${unit}` : ''}" is exactly the default alarm threshold of ${tripped.map(describeAlarm).join(' and of ')}: `
        + 'the count says the sensor tripped, nothing about how many hosts or clients were behind it');
    }
    const rstOrAck = packets.filter((e) => (e.tcpFlags! & (TCP_ACK | TCP_RST)) !== 0).length;
    if (rstOrAck) facts.quotedWithAckOrRst = rstOrAck;
    return [{
      id: 'first-look-sensor-threshold', detector: 'first-look/sensor-threshold', leaning: 'context', strength: 0,
      summary: `Reporter's sensor: ${sensor ?? 'not named'}.${threshold ? ` ${threshold}.` : ''}${said.length ? ` ${said.map((s) => s[0].toUpperCase() + s.slice(1)).join('. ')}.` : ' The complaint quotes no packet-level lines to replay.'}`,
      evidence: evidence.slice(0, 8).map(ref),
      facts,
    }];
  },
};
