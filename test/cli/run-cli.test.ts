import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli';

describe('running a command in this process', () => {
  it('captures its output, feeds it standard input, sets the environment for the run only and puts everything back', async () => {
    const write = process.stdout.write;
    const before = process.env.ABUSE_DESK_TEST_PROBE;
    let out = '';
    let err = '';
    const status = await runCli(['triage', '--json', '--complaint', '-'], {
      stdout: (s) => { out += s; }, stderr: (s) => { err += s; },
      stdin: 'Subject: scan\n\nYour host 198.51.100.7 scanned us on 2026-01-14 06:00 UTC.\n',
      env: { ABUSE_DESK_TEST_PROBE: 'x' },
    });
    expect([status, err]).toEqual([0, '']);
    expect(JSON.parse(out).accused).toEqual(['198.51.100.7']);
    expect(process.stdout.write).toBe(write);
    expect(process.env.ABUSE_DESK_TEST_PROBE).toBe(before);
  });

  it('runs one command at a time: two started together do not mix their output', async () => {
    const outs = ['', ''];
    await Promise.all([0, 1].map((i) => runCli(['inspect', '--help'], { stdout: (s) => { outs[i] += s; }, stderr: () => undefined })));
    expect(outs[0]).toBe(outs[1]);
    expect(outs[0]).toMatch(/^abuse-desk inspect/);
  });
});
