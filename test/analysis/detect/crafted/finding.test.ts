import { describe, expect, it } from 'vitest';
import { craftedFinding } from '../../../../analysis/detect/crafted/finding';
import { KINDS } from '../../../../analysis/detect/crafted/kinds';
import { Tally } from '../../../../analysis/detect/crafted/tally';
import type { NetEvent } from '../../../../analysis/events/event';
import { loadEvents } from '../../../helpers/load-events';
import { corpusDir } from '../../../helpers/paths';
import { join } from 'node:path';

const SCANNER = '192.168.1.10';
const none = { sourcesDropped: 0, packetsNotFollowed: 0, recordsNotClassified: 0 };

/** The 1,000 FIN probes of the evilfingers FIN scan, tallied as lone FINs. */
async function finScan(): Promise<Tally> {
  const events = await loadEvents(join(corpusDir, 'pcap', 'evilfingers__FIN_SCAN.pcap'));
  const t = new Tally();
  for (const e of events as NetEvent[]) if (e.src === SCANNER && e.tcpFlags === 0x01) t.add(e);
  return t;
}

describe('the crafted-packets finding', () => {
  it('evilfingers FIN scan: 1,000 lone FINs to one host, quoted from the capture, weighted as its kind says', async () => {
    const t = await finScan();
    const f = craftedFinding(SCANNER, 'lone-fin', t, none);
    expect(f).toMatchObject({ id: 'crafted-lone-fin', detector: 'crafted-packets', leaning: KINDS['lone-fin'].leaning, explanation: KINDS['lone-fin'].why });
    expect(f.summary).toBe(`${SCANNER} sent 1000 ${KINDS['lone-fin'].what} to 1 host.`);
    expect(f.facts).toMatchObject({ source: SCANNER, kind: 'lone-fin', packets: 1000, targetCount: 1, targetSample: ['192.168.1.25'] });
    expect(f.facts).not.toHaveProperty('sourcesNotFollowed');
    expect(f.evidence.length).toBeGreaterThan(0);
    expect(f.evidence.every((e) => e.excerpt.includes(SCANNER))).toBe(true);
  });

  it('states the bounds it reached, and the conversation bound only for the conversational kinds', async () => {
    const t = await finScan();
    const bounds = { sourcesDropped: 2, packetsNotFollowed: 40, recordsNotClassified: 5 };
    expect(craftedFinding(SCANNER, 'lone-fin', t, bounds).facts).toMatchObject({ sourcesNotFollowed: 2 });
    expect(craftedFinding(SCANNER, 'lone-fin', t, bounds).facts).not.toHaveProperty('packetsNotFollowed');
    expect(craftedFinding(SCANNER, 'ack-no-handshake', t, bounds).facts).toMatchObject({ packetsNotFollowed: 40, recordsNotClassified: 5, conversations: 0 });
  });

  it('non-first fragments are said to have no ports, with the note on why an IDS shows port 0', async () => {
    const t = await finScan();
    const f = craftedFinding(SCANNER, 'fragment-port-zero', t, none);
    expect(f.summary).toBe(`1000 packets from ${SCANNER} are non-first IP fragments: they have no ports, which an IDS shows as "port 0".`);
    expect(String(f.facts?.note)).toContain('RFC 791');
  });
});
