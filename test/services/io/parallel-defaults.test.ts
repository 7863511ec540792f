import { afterEach, describe, expect, it, vi } from 'vitest';

const machine = { cores: 2, load: 0 };
vi.mock('node:os', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:os')>()),
  availableParallelism: () => machine.cores,
  loadavg: () => [machine.load, machine.load, machine.load],
}));

const { parallelDefaults } = await import('../../../services/io/parallel-read');

describe('how many workers read the evidence by default', () => {
  afterEach(() => { vi.unstubAllEnvs(); });

  it('none on two cores, even idle: the merge would share the cores the workers use', () => {
    Object.assign(machine, { cores: 2, load: 0 });
    expect(parallelDefaults().workers).toBe(0);
  });

  it('one per core, at most four, on an idle machine of four cores or more; none when it is busy', () => {
    Object.assign(machine, { cores: 4, load: 0.2 });
    expect(parallelDefaults().workers).toBe(4);
    Object.assign(machine, { cores: 16, load: 1 });
    expect(parallelDefaults().workers).toBe(4);
    Object.assign(machine, { cores: 4, load: 3 });
    expect(parallelDefaults().workers).toBe(0);
  });

  it('ABUSE_DESK_WORKERS decides instead when set', () => {
    Object.assign(machine, { cores: 2, load: 0 });
    vi.stubEnv('ABUSE_DESK_WORKERS', '2');
    expect(parallelDefaults().workers).toBe(2);
    Object.assign(machine, { cores: 16, load: 0 });
    vi.stubEnv('ABUSE_DESK_WORKERS', '0');
    expect(parallelDefaults().workers).toBe(0);
  });
});
