import { beforeEach, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { idsReplay } from '../../../analysis/detect/ids-replay';
import { complainantSensor, sensorParagraph } from '../../../analysis/draft/sensor';
import type { NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp } from '../../helpers/events';

const US = '198.51.100.80';
const THEM = '203.0.113.9';
beforeEach(() => resetPacketNumbers());
const complaint = (text: string) => parseComplaint(new TextEncoder().encode(text), { ourNets: ['198.51.100.0/24'], nowMs: Date.UTC(2026, 1, 2) });
const findings = (events: NetEvent[]) => idsReplay.detect(makeContext({ events, accused: [US], targets: [THEM] }));

describe('the reply\'s paragraph about their sensor', () => {
  it('names the sensor from the complaint\'s word or its quoted lines', async () => {
    expect(complainantSensor(await complaint(`Subject: scan\n\nOur scanlogd saw ${US} scan ${THEM}.\n`))).toEqual({ kind: 'scanlogd', name: 'scanlogd' });
    expect(complainantSensor(await complaint(`Subject: scan\n\nSnort sfPortscan alert: ${US} -> ${THEM} (portscan) TCP Portscan\n`))).toMatchObject({ kind: 'snort' });
    expect(complainantSensor(await complaint(`Subject: scan\n\nWe saw ${US} scan ${THEM}.\n`))).toEqual({ kind: 'unnamed', name: 'IDS' });
  });

  it('our server\'s replies to 21 client ports: what scanlogd counts, what it skips, and "21 ports" is its threshold', async () => {
    const c = await complaint(`Subject: portscan\n\nOur scanlogd detected a portscan from ${US} to ${THEM}: 21 ports scanned.\n`);
    const replies = Array.from({ length: 21 }, (_, i) => tcp({ src: US, dst: THEM, sport: 80, dport: 40000 + i, flags: 'A', ts: 10 + i * 0.5 }));
    const p = sensorParagraph(c, 'legitimate', findings(replies), US);
    expect(p).toMatch(/^About your scanlogd alert: scanlogd logs a source that sends TCP packets to new ports at most 3 s apart\. Ours were packets to 21 ports of 203\.0\.113\.9 within 10\.0 s, 21 of them replies with ACK set\./);
    expect(p).toMatch(/As scanlogd normally skips packets with ACK set/);
    expect(p).toMatch(/The 21 ports in your report is scanlogd's default alarm threshold: the count at which it reports, not the extent of the traffic\.$/);
  });

  it('when the replay fires, the paragraph gives the weight it reached from the scanlogd table', async () => {
    const c = await complaint(`Subject: portscan\n\nOur scanlogd detected a portscan from ${US} to ${THEM}.\n`);
    const probes = [21, 22, 23, 25, 80, 110, 143].map((p, i) => tcp({ src: US, dst: THEM, sport: 40000, dport: p, flags: 'S', ts: 10 + i }));
    const p = sensorParagraph(c, 'legitimate', findings(probes), US);
    expect(p).toMatch(/scanlogd counts TCP packets to new ports at most 3 s apart and logs at weight 21; 7 of our packets to new ports \(weight 21\) within 6 s reached it\./);
  });

  it('a compromise agrees with them; no verdict yet says nothing', async () => {
    const c = await complaint(`Subject: portscan\n\nOur scanlogd detected a portscan from ${US} to ${THEM}.\n`);
    expect(sensorParagraph(c, 'compromise', [], US)).toBe(`About your scanlogd alert: it matches our records; the traffic came from ${US} itself.`);
    expect(sensorParagraph(c, 'inconclusive', [], US)).toBe('');
  });
});
