import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FromEngine } from '../../../electron/common/engine-protocol';
import { Engine } from '../../../electron/engine/engine';
import { ENGINE_VERSION } from '../../../analysis/pipeline';
import { synfloodCase } from '../helpers';

function engine(testHooks = false) {
  const sent: FromEngine[] = [];
  let crashed = false;
  const e = new Engine({ send: (m) => sent.push(m), testHooks, crash: () => { crashed = true; } });
  const answer = (seq: number) => new Promise<FromEngine>((resolve) => {
    const t = setInterval(() => {
      const m = sent.find((x) => x.seq === seq && x.type !== 'progress');
      if (m) { clearInterval(t); resolve(m); }
    }, 5);
  });
  return { e, sent, answer, crashed: () => crashed };
}

const complaintText = readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8');
const expected = JSON.parse(readFileSync(join(synfloodCase, 'expected.json'), 'utf8')) as { verdict: string };

describe('the engine\'s job loop', () => {
  it('analyses seed001 from its files and answers with the case\'s expected verdict, after throttled progress', async () => {
    const { e, sent, answer } = engine();
    e.handle({ seq: 1, type: 'run', job: { kind: 'analyze', complaintText, evidence: [join(synfloodCase, 'www-border.pcap')], ourNets: ['198.51.100.0/24'] } });
    expect(e.jobCount).toBe(1);
    const m = await answer(1);
    expect(m).toMatchObject({ seq: 1, type: 'result', value: { verdict: expected.verdict } });
    expect(sent.filter((x) => x.type === 'progress').length).toBeGreaterThan(0);
    expect(e.jobCount).toBe(0);
  });

  it('describes a file, parses a complaint, tells its version', async () => {
    const { e, answer } = engine();
    e.handle({ seq: 2, type: 'run', job: { kind: 'describe', path: join(synfloodCase, 'www-border.pcap'), ref: 'r', name: 'border.pcap' } });
    e.handle({ seq: 3, type: 'run', job: { kind: 'complaint', complaintText } });
    e.handle({ seq: 4, type: 'run', job: { kind: 'version' } });
    expect(await answer(2)).toMatchObject({ type: 'result', value: { format: 'pcap' } });
    expect(await answer(3)).toMatchObject({ type: 'result', value: { accused: ['198.51.100.80'] } });
    expect(await answer(4)).toEqual({ seq: 4, type: 'result', value: { engineVersion: ENGINE_VERSION } });
  });

  it('a cancelled job answers cancelled; a second job on a running seq, an unknown kind and a crash without test hooks are refused', async () => {
    const { e, sent, answer } = engine();
    const job = { kind: 'analyze', complaintText, evidence: [join(synfloodCase, 'www-border.pcap')], ourNets: [] };
    e.handle({ seq: 5, type: 'run', job });
    e.handle({ seq: 5, type: 'run', job });
    e.handle({ seq: 5, type: 'cancel' });
    e.handle({ seq: 6, type: 'run', job: { kind: 'format-disk' } });
    e.handle({ seq: 7, type: 'run', job: { kind: 'crash' } });
    e.handle('not a message');
    expect(await answer(5)).toEqual({ seq: 5, type: 'error', error: { code: 'bad_request', message: 'job 5 is already running' } });
    const errors = () => sent.filter((m) => m.type === 'error').map((m) => [m.seq, (m as { error: { code: string } }).error.code]);
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (errors().length >= 4) { clearInterval(t); resolve(); } }, 5); });
    expect(errors()).toEqual(expect.arrayContaining([[5, 'cancelled'], [6, 'bad_request'], [7, 'bad_request']]));
  });

  it('runs the crash hook only with test hooks on', () => {
    const { e, crashed } = engine(true);
    e.handle({ seq: 1, type: 'run', job: { kind: 'crash' } });
    expect(crashed()).toBe(true);
  });
});
