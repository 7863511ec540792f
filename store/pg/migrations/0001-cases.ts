/**
 * PostgreSQL 0001: the case tables as SQLite has them after its migrations
 * 0001–0008 (store/migrations/), column for column, so the domain modules'
 * SQL reads and writes the same names. The types say what SQLite only implied:
 * BIGSERIAL ids, BIGINT ms timestamps, DOUBLE PRECISION for REAL, BYTEA for
 * raw bytes, JSONB for JSON. Text that is compared as a range or sorted
 * (address keys, reversed domains, tags, fingerprints) is COLLATE "C", so it
 * orders by bytes as SQLite's BINARY does whatever the database's locale.
 * test/store/pg/schema.slow.test.ts checks every SQLite column has its twin
 * here. Frozen once released.
 */
import type { PgMigration } from './migration';

export const pgMigration0001: PgMigration = {
  version: 1,
  name: 'cases',
  sql: `
    CREATE TABLE cases (
      id                  BIGSERIAL PRIMARY KEY,
      created_at          BIGINT  NOT NULL,
      updated_at          BIGINT  NOT NULL,
      received_at         BIGINT  NOT NULL,
      status              TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'analysed', 'replied', 'closed')),
      fingerprint         TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
      complaint_name      TEXT    NOT NULL,
      complaint_raw       BYTEA   NOT NULL,
      complaint_json      JSONB   NOT NULL,
      complaint_text      TEXT    NOT NULL,
      subject             TEXT,
      reporter_address    TEXT COLLATE "C",
      reporter_name       TEXT,
      reporter_domain     TEXT COLLATE "C",
      reporter_domain_rev TEXT COLLATE "C",
      window_start        BIGINT,
      window_end          BIGINT,
      verdict             TEXT CHECK (verdict IS NULL OR verdict IN ('backscatter', 'legitimate', 'compromise', 'inconclusive')),
      confidence          DOUBLE PRECISION,
      first_look_json     JSONB,
      provisional_verdict TEXT,
      provisional_confidence DOUBLE PRECISION,
      headline            TEXT,
      activity            TEXT,
      primary_accused     TEXT COLLATE "C",
      group_key           TEXT COLLATE "C",
      rank_class          INTEGER,
      rank_score          DOUBLE PRECISION,
      rank_reason         TEXT,
      complaint_fp        TEXT COLLATE "C",
      repeat_of           BIGINT REFERENCES cases (id) ON DELETE SET NULL,
      accepted_run_id     BIGINT,
      report_class        TEXT,
      report_detail       TEXT,
      rank_repeat         INTEGER NOT NULL DEFAULT 0 CHECK (rank_repeat IN (0, 1))
    );
    CREATE INDEX cases_received ON cases (received_at, id);
    CREATE INDEX cases_status ON cases (status, received_at);
    CREATE INDEX cases_verdict ON cases (verdict, received_at);
    CREATE INDEX cases_reporter_domain ON cases (reporter_domain_rev);
    CREATE INDEX cases_reporter_address ON cases (reporter_address);
    CREATE INDEX cases_window ON cases (window_start);
    CREATE INDEX cases_queue ON cases (rank_class, rank_score DESC, received_at DESC, id DESC) WHERE rank_class IS NOT NULL;
    CREATE INDEX cases_queue_repeat ON cases (rank_class, rank_score DESC, received_at DESC, id DESC) WHERE rank_class IS NOT NULL AND rank_repeat = 1;
    CREATE INDEX cases_group ON cases (group_key) WHERE group_key IS NOT NULL;
    CREATE INDEX cases_primary_accused ON cases (primary_accused, received_at) WHERE primary_accused IS NOT NULL;
    CREATE INDEX cases_complaint_fp ON cases (complaint_fp, id);
    CREATE INDEX cases_repeat_of ON cases (repeat_of) WHERE repeat_of IS NOT NULL;

    CREATE TABLE case_addresses (
      case_id  BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      role     TEXT   NOT NULL CHECK (role IN ('accused', 'target')),
      address  TEXT COLLATE "C" NOT NULL,
      addr_key TEXT COLLATE "C",
      PRIMARY KEY (case_id, role, address)
    );
    CREATE INDEX case_addresses_address ON case_addresses (address, role);
    CREATE INDEX case_addresses_key ON case_addresses (addr_key, role);

    CREATE TABLE tags (
      case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      tag     TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (case_id, tag)
    );
    CREATE INDEX tags_tag ON tags (tag);

    CREATE TABLE evidence (
      id               BIGSERIAL PRIMARY KEY,
      case_id          BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      sha256           TEXT COLLATE "C" NOT NULL CHECK (length(sha256) = 64),
      original_name    TEXT   NOT NULL,
      size             BIGINT NOT NULL,
      format           TEXT,
      first_ts         DOUBLE PRECISION,
      last_ts          DOUBLE PRECISION,
      attached_at      BIGINT NOT NULL,
      last_verified_at BIGINT,
      last_verified_ok INTEGER,
      removed_at       BIGINT,
      excluded         INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
      UNIQUE (case_id, sha256)
    );
    CREATE INDEX evidence_sha256 ON evidence (sha256);

    CREATE TABLE analysis_runs (
      id             BIGSERIAL PRIMARY KEY,
      case_id        BIGINT  NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      created_at     BIGINT  NOT NULL,
      engine_version TEXT    NOT NULL,
      schema_version INTEGER NOT NULL,
      verdict        TEXT    NOT NULL,
      confidence     DOUBLE PRECISION NOT NULL,
      duration_ms    DOUBLE PRECISION NOT NULL,
      options_json   JSONB   NOT NULL,
      result_json    JSONB   NOT NULL
    );
    CREATE INDEX analysis_runs_case ON analysis_runs (case_id, id);
    ALTER TABLE cases ADD FOREIGN KEY (accepted_run_id) REFERENCES analysis_runs (id) ON DELETE SET NULL;

    CREATE TABLE drafts (
      id         BIGSERIAL PRIMARY KEY,
      case_id    BIGINT  NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      version    INTEGER NOT NULL,
      subject    TEXT    NOT NULL,
      body       TEXT    NOT NULL,
      origin     TEXT    NOT NULL CHECK (origin IN ('generated', 'edited')),
      run_id     BIGINT REFERENCES analysis_runs (id) ON DELETE SET NULL,
      created_at BIGINT  NOT NULL,
      sent_at    BIGINT,
      UNIQUE (case_id, version)
    );

    CREATE TABLE notes (
      id         BIGSERIAL PRIMARY KEY,
      case_id    BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      body       TEXT   NOT NULL,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX notes_case ON notes (case_id, id);

    CREATE TABLE audit (
      id      BIGSERIAL PRIMARY KEY,
      case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      at      BIGINT NOT NULL,
      action  TEXT   NOT NULL,
      detail  TEXT   NOT NULL
    );
    CREATE INDEX audit_case ON audit (case_id, id);

    CREATE TABLE messages (
      id              BIGSERIAL PRIMARY KEY,
      case_id         BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      message_id      TEXT COLLATE "C",
      thread_key      TEXT COLLATE "C",
      in_reply_to     TEXT,
      references_json JSONB  NOT NULL DEFAULT '[]',
      raw_sha256      TEXT COLLATE "C" NOT NULL CHECK (length(raw_sha256) = 64),
      raw             BYTEA  NOT NULL,
      source_kind     TEXT   NOT NULL CHECK (source_kind IN ('mbox', 'maildir', 'eml', 'imap', 'pasted')),
      source_location TEXT   NOT NULL,
      source_uid      BIGINT,
      source_name     TEXT,
      received_at     BIGINT NOT NULL,
      imported_at     BIGINT NOT NULL,
      action          TEXT   NOT NULL CHECK (action IN ('created', 'joined-thread', 'joined-duplicate')),
      warnings_json   JSONB  NOT NULL DEFAULT '[]'
    );
    CREATE INDEX messages_case ON messages (case_id, id);
    CREATE INDEX messages_message_id ON messages (message_id);
    CREATE INDEX messages_thread ON messages (thread_key);
    CREATE INDEX messages_sha ON messages (raw_sha256);

    CREATE TABLE imap_cursors (
      account      TEXT   NOT NULL,
      folder       TEXT   NOT NULL,
      uid_validity TEXT,
      last_uid     BIGINT NOT NULL DEFAULT 0,
      updated_at   BIGINT NOT NULL,
      PRIMARY KEY (account, folder)
    );

    CREATE TABLE sent_replies (
      id              BIGSERIAL PRIMARY KEY,
      case_id         BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      draft_id        BIGINT REFERENCES drafts (id) ON DELETE SET NULL,
      message_id      TEXT   NOT NULL,
      recipients_json JSONB  NOT NULL DEFAULT '[]',
      raw             BYTEA  NOT NULL,
      sent_at         BIGINT NOT NULL
    );
    CREATE INDEX sent_replies_case ON sent_replies (case_id, id);
    CREATE UNIQUE INDEX sent_replies_message_id ON sent_replies (message_id);

    CREATE TABLE quarantine (
      id              BIGSERIAL PRIMARY KEY,
      raw_sha256      TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length(raw_sha256) = 64),
      raw             BYTEA  NOT NULL,
      size            BIGINT NOT NULL,
      message_id      TEXT,
      source_kind     TEXT   NOT NULL,
      source_location TEXT   NOT NULL,
      source_uid      BIGINT,
      source_name     TEXT   NOT NULL,
      error           TEXT   NOT NULL,
      quarantined_at  BIGINT NOT NULL,
      attempts        INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX quarantine_at ON quarantine (quarantined_at DESC, id DESC);

    CREATE TABLE imported_history (
      id          BIGSERIAL PRIMARY KEY,
      case_id     BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      bundle      TEXT   NOT NULL,
      imported_at BIGINT NOT NULL,
      at          BIGINT NOT NULL,
      action      TEXT   NOT NULL,
      detail      TEXT   NOT NULL
    );
    CREATE INDEX imported_history_case ON imported_history (case_id, id);
  `,
};
