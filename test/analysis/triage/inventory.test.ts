import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostRoleFacts, inventoryContext, parseInventory, parseInventoryText } from '../../../analysis/triage/inventory';
import { fixturesDir } from '../../helpers/paths';

describe('inventory', () => {
  it('reads the text format: address or CIDR, role words, trailing ports', () => {
    const { inventory, warnings } = parseInventoryText('198.51.100.10  web server  80,443\n198.51.100.0/28 resolver 53/udp\n198.51.100.11: mail, 25 and 587\nnonsense here\n198.51.100.120 customer VPS # no services');
    expect(warnings).toEqual(['inventory line 4: "nonsense" is not an address or CIDR block']);
    expect(inventory).toEqual([
      { match: '198.51.100.10', role: 'web server', servicePorts: [80, 443] },
      { match: '198.51.100.0/28', role: 'resolver', servicePorts: [53], services: [{ port: 53, proto: 'udp' }] },
      { match: '198.51.100.11', role: 'mail', servicePorts: [25, 587] },
      { match: '198.51.100.120', role: 'customer VPS', servicePorts: [] },
    ]);
  });

  it('reads JSON and the text file alike; the most specific entry wins', () => {
    const text = parseInventory(readFileSync(join(fixturesDir, 'triage', 'inventory.txt'), 'utf8')).inventory;
    const json = parseInventory(readFileSync(join(fixturesDir, 'triage', 'inventory.json'), 'utf8')).inventory;
    for (const inv of [text, json]) {
      expect(inventoryContext(inv, '198.51.100.10').role).toBe('web server');
      expect(inventoryContext(inv, '198.51.100.10').servicePorts).toEqual([80, 443]);
      const r = inventoryContext(inv, '198.51.100.5');
      expect(r.role).toBe('resolver');
      expect(r.serves(53, 'udp')).toBe(true);
      expect(r.serves(80)).toBe(false);
      expect(inventoryContext(inv, '192.0.2.1').entry).toBeUndefined();
    }
    expect(inventoryContext(text, '198.51.100.200').role).toBe('customer ranges');
  });
});

describe('hostRoleFacts', () => {
  it('the most specific entry\'s role, match and services as written; nothing for an address no entry covers', () => {
    const { inventory } = parseInventory('198.51.100.0/24  customer VPS range\n198.51.100.53  resolver  53/udp,53\n');
    expect(hostRoleFacts(inventoryContext(inventory, '198.51.100.53'))).toEqual({
      address: '198.51.100.53', role: 'resolver', servicePorts: [53], match: '198.51.100.53', services: ['53/udp', '53'],
    });
    expect(hostRoleFacts(inventoryContext(inventory, '198.51.100.9'))).toMatchObject({ role: 'customer VPS range', match: '198.51.100.0/24', services: [] });
    expect(hostRoleFacts(inventoryContext(inventory, '203.0.113.5'))).toBeUndefined();
  });
});
