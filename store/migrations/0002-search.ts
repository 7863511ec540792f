/**
 * 0002: finding things. A full-text index (FTS5) over complaint text, subject,
 * reporter, addresses and drafts, and a sortable key per address so a CIDR
 * filter is a range scan. Both are filled from the rows already present.
 * Frozen once released.
 */
import { addressKey } from '../address-key';
import type { Migration } from './migration';

export const migration0002: Migration = {
  version: 2,
  name: 'search',
  async up(db) {
    await db.exec(`
      CREATE VIRTUAL TABLE case_fts USING fts5 (
        subject, complaint, reporter, addresses, drafts,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      ALTER TABLE case_addresses ADD COLUMN addr_key TEXT;
      CREATE INDEX case_addresses_key ON case_addresses (addr_key, role);
    `);
    const addresses = await db.all<{ address: string }>('SELECT DISTINCT address FROM case_addresses');
    for (const { address } of addresses) {
      await db.run('UPDATE case_addresses SET addr_key = ? WHERE address = ?', [addressKey(address), address]);
    }
    await db.exec(`
      INSERT INTO case_fts (rowid, subject, complaint, reporter, addresses, drafts)
      SELECT c.id, coalesce(c.subject, ''), c.complaint_text,
             trim(coalesce(c.reporter_address, '') || ' ' || coalesce(c.reporter_name, '') || ' ' || coalesce(c.reporter_domain, '')),
             coalesce((SELECT group_concat(address, ' ') FROM case_addresses a WHERE a.case_id = c.id), ''),
             coalesce((SELECT group_concat(subject || ' ' || body, ' ') FROM drafts d WHERE d.case_id = c.id), '')
      FROM cases c;
    `);
  },
};
