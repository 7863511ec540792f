import { describe, expect, it } from 'vitest';
import { hostRole } from '../../../analysis/detect/host-role';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { firstLook } from '../../../analysis/triage/first-look';
import { parseInventory } from '../../../analysis/triage/inventory';
import { makeContext } from '../../helpers/context';

describe('host-role', () => {
  it('names what the inventory says the accused host is, most specific entry first', () => {
    const { inventory } = parseInventory('198.51.100.0/24  customer VPS range\n198.51.100.53  resolver  53/udp,53\n');
    const ctx = { ...makeContext({ events: [], accused: ['198.51.100.53', '198.51.100.77'] }), inventory };
    const found = hostRole.detect(ctx);
    expect(found.map((f) => f.summary)).toEqual([
      'Our inventory lists 198.51.100.53 as resolver serving 53/udp, 53.',
      'Our inventory lists 198.51.100.77 as customer VPS range.',
    ]);
  });

  it('gives the entry that matched and its service ports as facts, as context of weight 0.3', () => {
    const { inventory } = parseInventory('198.51.100.0/24  customer VPS range\n198.51.100.80  web server  80/tcp,443/tcp\n');
    const [web, vps] = hostRole.detect({ ...makeContext({ events: [], accused: ['198.51.100.80', '198.51.100.81'] }), inventory });
    expect(web).toMatchObject({ id: 'host-role', detector: 'host-role', leaning: 'context', strength: 0.3, evidence: [] });
    expect(web.facts).toEqual({ address: '198.51.100.80', role: 'web server', servicePorts: [80, 443], match: '198.51.100.80' });
    expect(vps.facts).toEqual({ address: '198.51.100.81', role: 'customer VPS range', servicePorts: [], match: '198.51.100.0/24' });
  });

  it('says nothing for an address the inventory does not list', () => {
    const { inventory } = parseInventory('198.51.100.0/24  customer VPS range\n');
    expect(hostRole.detect({ ...makeContext({ events: [], accused: ['203.0.113.5'] }), inventory })).toEqual([]);
  });

  it('says nothing without an inventory', () => {
    expect(hostRole.detect(makeContext({ events: [], accused: ['198.51.100.53'] }))).toEqual([]);
  });

  it('records the same role facts as the first look does for the same inventory', async () => {
    const text = 'web server  80/tcp,443/tcp';
    const { inventory } = parseInventory(`198.51.100.80  ${text}\n`);
    const c = await parseComplaint(new TextEncoder().encode('Subject: scan from 198.51.100.80\n\nport scan from 198.51.100.80 to 203.0.113.9\n'), { ourNets: ['198.51.100.0/24'] });
    const look = firstLook(c, { ourNets: ['198.51.100.0/24'], inventory }).findings.find((f) => f.id === 'first-look-host-role');
    const [detected] = hostRole.detect({ ...makeContext({ events: [], accused: ['198.51.100.80'] }), inventory });
    expect(look?.facts).toEqual(detected.facts);
    expect(look?.summary).toBe('Inventory: 198.51.100.80 is our web server (serves 80/tcp, 443/tcp), entry 198.51.100.80.');
  });
});
