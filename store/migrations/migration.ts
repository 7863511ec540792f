import type { Database } from '../database';

/**
 * One schema step. `up` runs inside the runner's transaction together with the
 * `PRAGMA user_version` bump, so a step is applied entirely or not at all.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): Promise<void>;
}
