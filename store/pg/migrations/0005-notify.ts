/**
 * PostgreSQL 0005: every audit line, once committed, is announced on the
 * channel `abuse_desk_changes` (case, action, operator, time), so every app of
 * the desk can refresh its queue and open case when a colleague imports,
 * claims, replies or closes (pg/changes.ts). Every change of a case writes an
 * audit line, so nothing is missed; a rolled-back change announces nothing.
 * PostgreSQL only: one SQLite store has one app. Frozen once released.
 */
import type { PgMigration } from './migration';

export const pgMigration0005: PgMigration = {
  version: 5,
  name: 'notify',
  sql: `
    CREATE FUNCTION desk_notify_audit() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      PERFORM pg_notify('abuse_desk_changes', json_build_object(
        'caseId', NEW.case_id, 'action', NEW.action, 'operator', NEW.operator, 'at', NEW.at)::text);
      RETURN NULL;
    END
    $fn$;
    CREATE TRIGGER audit_notify AFTER INSERT ON audit FOR EACH ROW EXECUTE FUNCTION desk_notify_audit();
  `,
};
