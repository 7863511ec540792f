import { IPPROTO_TCP, TCP_ACK, type NetEvent } from '../events/event';
import type { DetectContext, Detector, Finding } from './detector';
import { ref } from './excerpt';
import { seconds, subjectTest } from './common';
import { FLAG_BLIND_EXPLANATION, flagBlindChain } from '../sensors/flag-blind';
import { replayScanlogd, SCANLOGD_EXPLANATION, SCANLOGD_WEIGHT_THRESHOLD } from '../sensors/scanlogd';
import { replaySfPortscanLevels, SF_LEVELS, SFPORTSCAN_EXPLANATION, sfPortscanNeeds } from '../sensors/sfportscan';
import { replayZeekScan, ZEEK_ADDR_THRESHOLD, ZEEK_EXPLANATION, ZEEK_INTERVAL_S, ZEEK_PORT_THRESHOLD } from '../sensors/zeek-scan';

/**
 * What the complainant's sensor would have counted on OUR packets toward
 * THEIR addresses. "Their scanlogd could not have fired on anything we sent"
 * and "their Snort fired because of our replies" are both answers a network
 * engineer can check, so each sensor's rules are replayed as written in its
 * source (analysis/sensors/, one file per sensor), with the packets that make
 * up the count.
 *
 * Leaning 'context': whether a sensor fires says why the complaint was written,
 * not whether we are compromised. Strength says how firmly the replay settles it.
 */

function refsOf(evs: NetEvent[], max = 12): ReturnType<typeof ref>[] {
  // The first packets make up the count: quote them in order, then the last one.
  if (evs.length <= max) return evs.map(ref);
  return [...evs.slice(0, max - 1), evs[evs.length - 1]].map(ref);
}

export const idsReplay: Detector = {
  id: 'ids-replay',
  detect(ctx: DetectContext): Finding[] {
    const isUs = subjectTest(ctx);
    const targets = new Set(ctx.targets);
    const theirs = (a: string | undefined): boolean => a !== undefined && (targets.size === 0 ? !isUs(a) : targets.has(a));
    // Their sensor sits in front of their addresses: it sees what goes between us and them, `ours` our part of it.
    // One pass: the retained slice of a scan is 100,000 packets.
    const between: NetEvent[] = [];
    const ours: NetEvent[] = [];
    let anyPacket = false;
    for (const e of ctx.events) {
      if (e.kind !== 'packet') continue;
      anyPacket = true;
      const fromUs = isUs(e.src);
      if ((fromUs && theirs(e.dst)) || (theirs(e.src) && isUs(e.dst))) {
        between.push(e);
        if (fromUs) ours.push(e);
      }
    }
    // Without any captured packet there is nothing to replay: "could not have fired" would be empty words.
    if (!anyPacket) return [];
    const claimed = (ctx.complaint.sensor ?? '').toLowerCase();
    const claimedCount = ctx.complaint.claimedCount;
    const findings: Finding[] = [];
    const noTraffic = ours.length === 0;
    const str = (fired: boolean, isClaimed: boolean): number => (noTraffic ? 0.4 : fired ? 0.7 : 0.6) + (isClaimed ? 0.1 : 0);
    const base = { detector: 'ids-replay', leaning: 'context' as const };
    const towardText = targets.size ? `toward ${[...targets].slice(0, 3).join(', ')}` : 'toward other hosts';

    // scanlogd: per source address, so each of our addresses separately.
    const bySrc = new Map<string, NetEvent[]>();
    for (const e of ours) { const l = bySrc.get(e.src!) ?? []; l.push(e); bySrc.set(e.src!, l); }
    const srcs = bySrc.size ? [...bySrc.keys()] : ctx.accused.slice(0, 1);
    for (const src of srcs) {
      const pk = bySrc.get(src) ?? [];
      const r = replayScanlogd(pk);
      const tcpCount = pk.filter((e) => e.proto === IPPROTO_TCP).length;
      const isClaimed = claimed.includes('scanlogd');
      findings.push({
        ...base, id: 'ids-replay-scanlogd', strength: str(r.fired, isClaimed),
        summary: r.fired
          ? `scanlogd would have fired on ${src}: ${r.ports.length} new ports (weight ${r.weight} >= ${SCANLOGD_WEIGHT_THRESHOLD}), each within 3 s of the previous, in ${seconds(r.windowStart!, r.alarmTs!)} s.`
          : `scanlogd could not have fired on our packets from ${src} ${towardText}: the highest weight reached is ${r.weight} of ${SCANLOGD_WEIGHT_THRESHOLD}`
            + (r.ignoredAck ? `; ${r.ignoredAck} of our ${tcpCount} TCP packets had ACK set (replies), which scanlogd ignores.` : '.'),
        explanation: SCANLOGD_EXPLANATION,
        evidence: refsOf(r.packets),
        facts: {
          sensor: 'scanlogd', source: src, wouldFire: r.fired, weight: r.weight, threshold: SCANLOGD_WEIGHT_THRESHOLD, ports: r.ports,
          portCount: r.ports.length, windowSeconds: r.windowStart !== undefined ? seconds(r.windowStart, r.alarmTs!) : 0,
          tcpPackets: tcpCount, ignoredWithAck: r.ignoredAck, claimedSensor: isClaimed, ...(claimedCount !== undefined ? { claimedCount } : {}),
        },
      });
    }

    // Snort sfPortscan, all three sense levels (the complainant rarely says which).
    const sf = replaySfPortscanLevels(between, isUs, SF_LEVELS);
    const firedLevels = sf.filter((r) => r.fired);
    const shown = firedLevels[0] ?? sf.reduce((a, b) => (b.counters.uPorts > a.counters.uPorts ? b : a));
    const sfClaimed = /snort|ipcop|sfportscan|portscan/.test(claimed);
    findings.push({
      ...base, id: 'ids-replay-sfportscan', strength: str(firedLevels.length > 0, sfClaimed),
      summary: firedLevels.length
        ? `Snort sfPortscan would have raised "${shown.alert}" at sense level ${firedLevels.map((r) => r.level).join('/')} on our traffic`
          + `${shown.target ? ` to ${shown.target}` : ''}: ${shown.counters.uPorts} port changes, ${shown.counters.conn} open attempts, ${shown.counters.pri} RST/unreachable answers.`
        : `Snort sfPortscan could not have fired on our packets ${towardText} at any sense level: at most ${shown.counters.uPorts} port changes among connection attempts `
          + `and ${shown.counters.pri} error answers (${sfPortscanNeeds()}).`,
      explanation: SFPORTSCAN_EXPLANATION,
      evidence: refsOf(shown.counters.packets),
      facts: {
        sensor: 'snort-sfportscan', wouldFire: firedLevels.length > 0, levelsFiring: firedLevels.map((r) => r.level),
        alert: shown.alert ?? '', portChanges: shown.counters.uPorts, connectionAttempts: shown.counters.conn, errorAnswers: shown.counters.pri,
        windowSeconds: SF_LEVELS.find((l) => l.level === shown.level)!.windowS, claimedSensor: sfClaimed,
      },
    });

    // Zeek scan.zeek: failed connections where we are the scanner.
    const z = replayZeekScan(between, isUs);
    const { portScan, addrScan } = z;
    const zPort = z.portFired;
    const zAddr = z.addrFired;
    const zFired = zPort || zAddr;
    findings.push({
      ...base, id: 'ids-replay-zeek-scan', strength: str(zFired, /zeek|bro/.test(claimed)),
      summary: zFired
        ? `Zeek's scan.zeek would have raised ${zPort ? `Port_Scan (${portScan.max} failed ports on ${portScan.victim})` : `Address_Scan (${addrScan.max} hosts on port ${addrScan.port})`} within ${ZEEK_INTERVAL_S / 60} minutes.`
        : `Zeek's scan.zeek could not have fired on our traffic ${towardText}: at most ${portScan.max} failed ports on one host (needs ${ZEEK_PORT_THRESHOLD}) `
          + `and ${addrScan.max} hosts on one port (needs ${ZEEK_ADDR_THRESHOLD}) in ${ZEEK_INTERVAL_S / 60} minutes.`,
      explanation: ZEEK_EXPLANATION,
      evidence: refsOf(z.counted.map((a) => a.ev)),
      facts: {
        sensor: 'zeek-scan', wouldFire: zFired, failedConnections: z.attempts.length, maxFailedPortsOneHost: portScan.max,
        maxFailedHostsOnePort: addrScan.max, portThreshold: ZEEK_PORT_THRESHOLD, addrThreshold: ZEEK_ADDR_THRESHOLD, intervalSeconds: ZEEK_INTERVAL_S,
      },
    });

    // A flag-blind counter, for "your sensor counted our replies".
    const naive = flagBlindChain(ours);
    if (naive.ports > 0) {
      const acks = naive.packets.filter((e) => (e.tcpFlags ?? 0) & TCP_ACK).length;
      const over = naive.weight >= SCANLOGD_WEIGHT_THRESHOLD;
      findings.push({
        ...base, id: 'ids-replay-port-count', strength: over ? 0.5 : 0.3,
        summary: `A sensor that counts any packet, replies included, saw ${naive.ports} different destination ports of ${naive.target} from us`
          + ` within ${seconds(naive.start!, naive.end!)} s, each new port within 3 s of the previous (weight ${naive.weight}${over ? ` >= ${SCANLOGD_WEIGHT_THRESHOLD}` : ''})`
          + (acks ? `; ${acks} of these ${naive.packets.length} packets are replies with ACK set.` : '.'),
        explanation: FLAG_BLIND_EXPLANATION,
        evidence: refsOf(naive.packets),
        facts: {
          sensor: 'flag-blind counter', target: naive.target!, distinctPorts: naive.ports, weight: naive.weight, threshold: SCANLOGD_WEIGHT_THRESHOLD,
          exceedsScanlogdWeight: over, replyPackets: acks, windowSeconds: seconds(naive.start!, naive.end!),
          ...(claimedCount !== undefined ? { claimedCount } : {}),
        },
      });
    }
    return findings;
  },
};
