import type { NetEvent } from '../../../../analysis/events/event';
import { openingOf, requestsOf } from '../../../../analysis/detect/requested/kinds';
import { PeerTable } from '../../../../analysis/detect/requested/peers';
import { readFixture } from '../evidence';
import { THEM, US } from '../requested-traffic';

export const isOurs = (a: string): boolean => a === US;

/** A peer table fed as the detector feeds it, from events of a fixture (all, or those `pick` keeps). */
export function tableOf(events: NetEvent[], targets: string[] = [THEM]): PeerTable {
  const t = new PeerTable(new Set(targets));
  for (const e of events) {
    if (e.src === undefined || e.dst === undefined) continue;
    const ev = e as NetEvent & { src: string; dst: string };
    for (const r of requestsOf(ev, isOurs)) t.request(r, e);
    const o = openingOf(ev, isOurs);
    if (o) t.opening(o, e);
  }
  return t;
}

/** The active-FTP fixture (vsftpd serving ftplib, PORT then EPRT). */
export const activeFtpEvents = (): Promise<NetEvent[]> => readFixture('pcap/requested-ftp-active.pcap');
