import { join } from 'node:path';
import type { NetEvent } from '../../../../analysis/events/event';
import { casesDir } from '../../../helpers/paths';
import { loadEvents } from '../../../helpers/load-events';

/** seed001-synflood-backscatter: our web server 198.51.100.80 under a SYN flood, 137 SYNs of it forged with the complainant's address. */
export const SERVER = '198.51.100.80';
export const TARGET = '192.0.2.66';
let cached: NetEvent[] | undefined;
export async function borderEvents(): Promise<NetEvent[]> {
  return (cached ??= await loadEvents(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap')));
}
