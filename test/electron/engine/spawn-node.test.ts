import { describe, expect, it } from 'vitest';
import type { FromEngine } from '../../../electron/common/engine-protocol';
import { engineSourceEntry, nodeEngineSpawner } from '../../../electron/engine/spawn-node';
import { ENGINE_VERSION } from '../../../analysis/pipeline';

describe('the engine as a Node child process', () => {
  it('runs the TypeScript entry through tsx, answers a job over fork\'s channel, and reports its exit when killed', async () => {
    expect(engineSourceEntry()).toMatch(/electron\/engine\/main\.ts$/);
    const proc = nodeEngineSpawner({ stderr: 'ignore' })();
    expect(proc.pid).toBeGreaterThan(0);
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.onExit(resolve));
    const answer = new Promise<FromEngine>((resolve) => proc.onMessage((m) => resolve(m as FromEngine)));
    proc.postMessage({ seq: 1, type: 'run', job: { kind: 'version' } });
    expect(await answer).toEqual({ seq: 1, type: 'result', value: { engineVersion: ENGINE_VERSION } });
    proc.kill();
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    proc.postMessage({ seq: 2, type: 'run', job: { kind: 'version' } });
  });
});
