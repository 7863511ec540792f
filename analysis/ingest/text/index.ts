/**
 * The text evidence formats, each a LineParser (so complaint parsing can reuse
 * them on quoted log lines) and an EvidenceReader built from it.
 *
 * Order is the tie-break when two parsers score a file equally: the more
 * specific formats come first (scanlogd and snort syslog lines are also
 * syslog lines; fail2ban's generic host-log reading comes last).
 */
import type { EvidenceReader, LineParser } from '../reader';
import { textReader } from '../text-reader';
import { argusParser } from './argus';
import { fail2banParser } from './fail2ban';
import { netfilterParser } from './netfilter';
import { nfdumpParser } from './nfdump';
import { scanlogdParser } from './scanlogd';
import { snortParser } from './snort';
import { tcpdumpTextParser } from './tcpdump-text';
import { zeekConnParser } from './zeek-conn';

export { argusParser, fail2banParser, netfilterParser, nfdumpParser, scanlogdParser, snortParser, tcpdumpTextParser, zeekConnParser };

export const lineParsers: LineParser[] = [
  scanlogdParser,
  snortParser,
  netfilterParser,
  zeekConnParser,
  tcpdumpTextParser,
  // Before argus: nfdump's line layout also has a time, a direction arrow and counters.
  nfdumpParser,
  argusParser,
  fail2banParser,
];

export const textReaders: EvidenceReader[] = lineParsers.map(textReader);
