/**
 * 0011: leases, so that of several apps sharing a store exactly one does a
 * job at a time (fetching one IMAP mailbox for the whole desk): the holder,
 * until when, renewed while it works (store/leases.ts). Frozen once released.
 */
import type { Migration } from './migration';

export const migration0011: Migration = {
  version: 11,
  name: 'leases',
  async up(db) {
    await db.exec(`
      CREATE TABLE leases (
        name        TEXT    PRIMARY KEY,
        holder      TEXT    NOT NULL,
        acquired_at INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
      );
    `);
  },
};
