import { describe, expect, it } from 'vitest';
import { cli } from '../cli-runner';

describe('abuse-desk store (its command line; the copy itself: test/store/pg/copy-from-sqlite.slow.test.ts)', () => {
  it('asks for a subcommand, a local store and a PostgreSQL URL, as usage errors', async () => {
    expect((await cli(['store', '--help'])).stdout).toMatch(/^abuse-desk store migrate --from sqlite:DATA_DIR --to postgres:/);
    const cases: Array<[string[], string]> = [
      [['store'], 'store: unknown subcommand ""'],
      [['store', 'copy'], 'store: unknown subcommand "copy"'],
      [['store', 'migrate', '--to', 'postgres://u@h/db'], 'store migrate: --from sqlite:DATA_DIR is needed'],
      [['store', 'migrate', '--from', 'sqlite:/tmp/x', '--to', 'mysql://h/db'], 'store migrate: --to postgres://… is needed'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
  });
});
