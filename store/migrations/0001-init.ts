/**
 * 0001: the case tables. Frozen once released: change the schema with a new
 * numbered migration, never by editing this one.
 */
import type { Migration } from './migration';

export const migration0001: Migration = {
  version: 1,
  name: 'init',
  async up(db) {
    await db.exec(`
      CREATE TABLE cases (
        id               INTEGER PRIMARY KEY,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        received_at      INTEGER NOT NULL,
        status           TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'analysed', 'replied', 'closed')),
        fingerprint      TEXT    NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
        complaint_name   TEXT    NOT NULL,
        complaint_raw    BLOB    NOT NULL,
        complaint_json   TEXT    NOT NULL CHECK (json_valid(complaint_json)),
        complaint_text   TEXT    NOT NULL,
        subject          TEXT,
        reporter_address TEXT,
        reporter_name    TEXT,
        reporter_domain  TEXT,
        -- The domain's labels reversed ("net.example.abuse"), so "example.net and its subdomains" is an index range.
        reporter_domain_rev TEXT,
        window_start     INTEGER,
        window_end       INTEGER,
        verdict          TEXT CHECK (verdict IS NULL OR verdict IN ('backscatter', 'legitimate', 'compromise', 'inconclusive')),
        confidence       REAL
      );
      CREATE INDEX cases_received ON cases (received_at, id);
      CREATE INDEX cases_status ON cases (status, received_at);
      CREATE INDEX cases_verdict ON cases (verdict, received_at);
      CREATE INDEX cases_reporter_domain ON cases (reporter_domain_rev);
      CREATE INDEX cases_reporter_address ON cases (reporter_address);
      CREATE INDEX cases_window ON cases (window_start);

      CREATE TABLE case_addresses (
        case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        role    TEXT    NOT NULL CHECK (role IN ('accused', 'target')),
        address TEXT    NOT NULL,
        PRIMARY KEY (case_id, role, address)
      ) WITHOUT ROWID;
      CREATE INDEX case_addresses_address ON case_addresses (address, role);

      CREATE TABLE tags (
        case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        tag     TEXT    NOT NULL,
        PRIMARY KEY (case_id, tag)
      ) WITHOUT ROWID;
      CREATE INDEX tags_tag ON tags (tag);

      CREATE TABLE evidence (
        id               INTEGER PRIMARY KEY,
        case_id          INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        sha256           TEXT    NOT NULL CHECK (length(sha256) = 64),
        original_name    TEXT    NOT NULL,
        size             INTEGER NOT NULL,
        format           TEXT,
        first_ts         INTEGER,
        last_ts          INTEGER,
        attached_at      INTEGER NOT NULL,
        last_verified_at INTEGER,
        last_verified_ok INTEGER,
        UNIQUE (case_id, sha256)
      );
      CREATE INDEX evidence_sha256 ON evidence (sha256);

      CREATE TABLE analysis_runs (
        id             INTEGER PRIMARY KEY,
        case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        created_at     INTEGER NOT NULL,
        engine_version TEXT    NOT NULL,
        schema_version INTEGER NOT NULL,
        verdict        TEXT    NOT NULL,
        confidence     REAL    NOT NULL,
        duration_ms    REAL    NOT NULL,
        options_json   TEXT    NOT NULL CHECK (json_valid(options_json)),
        result_json    TEXT    NOT NULL CHECK (json_valid(result_json))
      );
      CREATE INDEX analysis_runs_case ON analysis_runs (case_id, id);

      CREATE TABLE drafts (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        version    INTEGER NOT NULL,
        subject    TEXT    NOT NULL,
        body       TEXT    NOT NULL,
        origin     TEXT    NOT NULL CHECK (origin IN ('generated', 'edited')),
        run_id     INTEGER REFERENCES analysis_runs (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        sent_at    INTEGER,
        UNIQUE (case_id, version)
      );

      CREATE TABLE notes (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        body       TEXT    NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX notes_case ON notes (case_id, id);

      CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        at      INTEGER NOT NULL,
        action  TEXT    NOT NULL,
        detail  TEXT    NOT NULL
      );
      CREATE INDEX audit_case ON audit (case_id, id);
    `);
  },
};
