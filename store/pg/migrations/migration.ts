/** One numbered step of the PostgreSQL schema (see index.ts): SQL run inside the migration transaction. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}
