import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventoryContext, parseInventory, parseInventoryText } from '../../../analysis/triage/inventory';
import { normaliseComplaint, normaliseRawMessage, threadKey, Threader } from '../../../analysis/triage/normalise';
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

describe('normalise', () => {
  it('a thread of three messages has one key, with or without References', () => {
    const a = { messageId: '<a1@Example.ORG>' };
    const b = { messageId: '<b2@example.net>', inReplyTo: '<a1@example.org>', references: '<a1@example.org>' };
    const c = { messageId: '<c3@example.org>', inReplyTo: '<b2@example.net>', references: ['<a1@example.org>', '<b2@example.net>'] };
    expect(new Set([a, b, c].map(threadKey))).toEqual(new Set(['a1@example.org']));
    const t = new Threader();
    const lost = { messageId: '<c3@example.org>', inReplyTo: '<b2@example.net>' };
    expect([a, b, lost].map((m) => t.add(m))).toEqual(['a1@example.org', 'a1@example.org', 'a1@example.org']);
  });

  it('copies of one complaint normalise alike whatever their transport headers, case and spacing', () => {
    const one = 'Received: from a\r\nDate: Mon, 1 Jan 2026 10:00:00 +0000\r\nMessage-ID: <1@x>\r\nFrom: abuse@example.org\r\nSubject: Scan from 198.51.100.80\r\n\r\nYour host   198.51.100.80 scanned us.\r\n';
    const two = 'From abuse@example.org Mon Jan  1 11:00:00 2026\nReceived: from b\nDate: Mon, 1 Jan 2026 11:00:00 +0000\nMessage-ID: <2@x>\nX-Ticket: 77\nFrom: abuse@example.org\nSubject: Re: [Ticket #123] scan from 198.51.100.80\n\nyour host 198.51.100.80\n scanned us.\n';
    const enc = new TextEncoder();
    expect(normaliseRawMessage(enc.encode(one))).toBe(normaliseRawMessage(enc.encode(two)));
    expect(normaliseRawMessage(enc.encode(one))).not.toBe(normaliseRawMessage(enc.encode(one.replace('.80 scanned', '.81 scanned'))));
    expect(normaliseComplaint('Fwd: Scan', 'A  B\n')).toBe(normaliseComplaint('scan', 'a b'));
  });
});
