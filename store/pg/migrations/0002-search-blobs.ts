/**
 * PostgreSQL 0002: what SQLite does with its own machinery.
 *
 * - `case_search`: the full-text document of each case (subject, complaint,
 *   reporter, addresses, drafts) as a tsvector with a GIN index, in place of
 *   the FTS5 table; pg/search.ts fills and queries it so that a search finds
 *   the same cases FTS5 does.
 * - `evidence_blobs` / `evidence_blob_chunks`: evidence content-addressed by
 *   SHA-256 in the database (the team shares no folder), in 1 MiB BYTEA chunks
 *   so a big capture is streamed in and out, never held whole. STORAGE
 *   EXTERNAL: captures are mostly incompressible, so no compression attempt.
 * - `sum(boolean)`, `group_concat(x)`, `group_concat(x, sep)`: the SQLite
 *   aggregates the queue's SQL uses, so it runs here unchanged.
 *
 * Frozen once released.
 */
import type { PgMigration } from './migration';

export const pgMigration0002: PgMigration = {
  version: 2,
  name: 'search-blobs',
  sql: `
    CREATE TABLE case_search (
      case_id BIGINT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
      doc     TSVECTOR NOT NULL,
      content TEXT     NOT NULL
    );
    CREATE INDEX case_search_doc ON case_search USING GIN (doc);

    CREATE TABLE evidence_blobs (
      sha256    TEXT COLLATE "C" PRIMARY KEY CHECK (length(sha256) = 64),
      size      BIGINT NOT NULL,
      stored_at BIGINT NOT NULL
    );
    CREATE TABLE evidence_blob_chunks (
      sha256 TEXT COLLATE "C" NOT NULL REFERENCES evidence_blobs (sha256) ON DELETE CASCADE,
      seq    INTEGER NOT NULL,
      data   BYTEA   NOT NULL,
      PRIMARY KEY (sha256, seq)
    );
    ALTER TABLE evidence_blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

    CREATE FUNCTION desk_bool_sum(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE
      AS 'SELECT $1 + CASE WHEN $2 THEN 1 ELSE 0 END';
    CREATE AGGREGATE sum(boolean) (SFUNC = desk_bool_sum, STYPE = bigint, INITCOND = '0');
    CREATE FUNCTION desk_concat(text, anyelement, text) RETURNS text LANGUAGE sql IMMUTABLE
      AS 'SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text ELSE $1 || $3 || $2::text END';
    CREATE FUNCTION desk_concat1(text, anyelement) RETURNS text LANGUAGE sql IMMUTABLE
      AS 'SELECT desk_concat($1, $2, '','')';
    CREATE AGGREGATE group_concat(anyelement) (SFUNC = desk_concat1, STYPE = text);
    CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = desk_concat, STYPE = text);
  `,
};
