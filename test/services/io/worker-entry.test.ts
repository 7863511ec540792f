import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { partWorkerEntry } from '../../../services/io/worker-entry';

describe('the evidence worker\'s script', () => {
  it('from the sources: a script that loads part-worker.ts through tsx\'s API, which a worker runs', async () => {
    const entry = partWorkerEntry()!;
    expect(entry.eval).toBe(true);
    expect(String(entry.script)).toMatch(/tsImport\(".*\/services\/io\/part-worker\.ts"/);
    const w = new Worker(entry.script, { eval: true, workerData: { complaint: null, options: {} } });
    try {
      const reply = await new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage({ type: 'send', seq: 4 });
      });
      expect(reply).toEqual({ type: 'failed', seq: 4, message: 'no part 4 held' });
    } finally {
      await w.terminate();
    }
  });
});
