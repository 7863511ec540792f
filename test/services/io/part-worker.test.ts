import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { CaseAnalysis } from '../../../analysis/pipeline';
import type { WorkerReply, WorkerRequest, WorkerSetup } from '../../../services/io/part-worker';
import { readEvidenceFile } from '../../../services/io/read-file';
import { partWorkerEntry } from '../../../services/io/worker-entry';
import { casesDir } from '../../helpers/paths';

const seed = join(casesDir, 'seed001-synflood-backscatter');
const PCAP = join(seed, 'www-border.pcap');
const options = { ourNets: ['198.51.100.0/24'] };

let worker: Worker;
let setup: WorkerSetup;
const replies: WorkerReply[] = [];

function ask(req: WorkerRequest, type: WorkerReply['type'] | 'failed'): Promise<WorkerReply> {
  return new Promise((resolve) => {
    const on = (m: WorkerReply): void => {
      replies.push(m);
      if (m.seq === req.seq && (m.type === type || m.type === 'failed')) { worker.off('message', on); resolve(m); }
    };
    worker.on('message', on);
    worker.postMessage(req);
  });
}

beforeAll(async () => {
  const complaint = await parseComplaint(new Uint8Array(readFileSync(join(seed, 'complaint.txt'))), { fileName: 'complaint.txt', ...options });
  setup = { complaint, options };
  const entry = partWorkerEntry()!;
  worker = new Worker(entry.script, { workerData: setup, eval: entry.eval });
}, 30_000);
afterAll(() => worker?.terminate());

describe('the evidence worker', () => {
  it('reads seed001\'s capture into an analysis of its own, answers with the summary, then sends the state that revives into the same result', async () => {
    const read = await ask({ type: 'read', seq: 1, task: { file: 0, path: PCAP, size: statSync(PCAP).size } }, 'read');
    expect(read).toMatchObject({ type: 'read', seq: 1, summary: { format: 'pcap', records: 6864 } });
    const state = await ask({ type: 'send', seq: 1 }, 'state');
    expect(state.type).toBe('state');
    const revived = new CaseAnalysis(setup.complaint, options);
    revived.mergeEncoded((state as { state: unknown }).state, true);
    const here = new CaseAnalysis(setup.complaint, options);
    await readEvidenceFile(PCAP, { onEvent: here.sink });
    expect(revived.finish().findings).toEqual(here.finish().findings);
  });

  it('answers a part it does not hold, or a file it cannot read, with its own failure', async () => {
    expect(await ask({ type: 'send', seq: 9 }, 'state')).toEqual({ type: 'failed', seq: 9, message: 'no part 9 held' });
    const bad = await ask({ type: 'read', seq: 2, task: { file: 1, path: '/nonexistent.pcap', size: 10 } }, 'read');
    expect(bad).toMatchObject({ type: 'read', seq: 2, summary: { error: expect.stringMatching(/^cannot read/) } });
  });
});
