import { describe, expect, it } from 'vitest';
import { cli } from '../cli-runner';

describe('abuse-desk serve (its command line; the server itself: test/host/serve/server.test.ts)', () => {
  it('prints its help, and refuses a port that is not one before starting anything', async () => {
    const help = await cli(['serve', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^abuse-desk serve \[--port N\] \[--data-dir DIR\] .*\[--open\]\n/);
    for (const port of ['70000', 'http', '1.5']) {
      const r = await cli(['serve', '--port', port]);
      expect(r.status, port).toBe(2);
      expect(r.stderr, port).toContain(`--port: "${port}" is not a port number`);
    }
  });
});
