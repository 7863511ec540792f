import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { CaseState } from '../../../renderer/lib/case.svelte';
import { FakeApi, loadResult } from '../fake-api';

function newCase(host: 'electron' | 'browser' = 'browser') {
  const fake = new FakeApi(host);
  const k = new CaseState(fake.api);
  const finished: string[] = [];
  k.onFinished = (p) => finished.push(p);
  return { fake, k, finished };
}

describe('CaseState', () => {
  it('needs a complaint to analyse', async () => {
    const { k, fake } = newCase();
    expect(k.canAnalyse).toBe(false);
    expect(await k.start([])).toBe(false);
    expect(fake.callsTo('analysis:start')).toEqual([]);
    k.complaintText = 'scan from 198.51.100.80';
    expect(k.canAnalyse).toBe(true);
  });

  it('applies events that arrive before analysis:start answers', async () => {
    const { k, fake, finished } = newCase();
    k.complaintText = 'x';
    let release!: () => void;
    fake.handlers['analysis:start'] = () => new Promise((done) => { release = () => done({ ok: true, value: { jobId: 'fast' } }); });
    const started = k.start([]);
    fake.emit('onProgress', { jobId: 'fast', fileIndex: 0, fileCount: 1, file: 'a.pcap', bytesDone: 10, bytesTotal: 10, records: 1, stage: 'done' });
    fake.emit('onResult', { jobId: 'fast', result: loadResult('seed001-nat-legit') });
    fake.emit('onResult', { jobId: 'someone-else', result: loadResult('seed003-udp770-compromise') });
    expect(k.result).toBeNull();
    release();
    await started;
    expect(k.phase).toBe('done');
    expect(k.result?.verdict).toBe('legitimate');
    expect(finished).toEqual(['done']);
    expect(k.subject).toBe('Re: scan from 198.51.100.81');
    expect(k.notes.startsWith('• ')).toBe(true);
  });

  it('ignores other jobs and late events after a cancel', async () => {
    const { k, fake } = newCase();
    k.complaintText = 'x';
    await k.start(['198.51.100.0/24']);
    fake.emit('onProgress', { jobId: 'other', fileIndex: 0, fileCount: 1, file: 'a', bytesDone: 1, records: 1, stage: 'reading' });
    expect(k.progress).toEqual({});
    await k.cancel();
    expect(k.phase).toBe('cancelled');
    fake.emit('onResult', { jobId: 'job1', result: loadResult('seed001-nat-legit') });
    fake.emit('onJobError', { jobId: 'job1', error: { code: 'cancelled', message: 'cancelled' } });
    expect(k.phase).toBe('cancelled');
    expect(k.result).toBeNull();
  });

  it('reports an engine error and a failed start', async () => {
    const { k, fake, finished } = newCase();
    k.complaintText = 'x';
    await k.start([]);
    fake.emit('onJobError', { jobId: 'job1', error: { code: 'engine_error', message: 'boom' } });
    expect(k.phase).toBe('failed');
    expect(k.error).toEqual({ code: 'engine_error', message: 'boom' });
    fake.handlers['analysis:start'] = () => ({ ok: false, error: { code: 'bad_request', message: 'ourNets.0: not an IP address or CIDR block' } });
    expect(await k.start(['nope'])).toBe(false);
    expect(k.error?.code).toBe('bad_request');
    expect(finished).toEqual(['failed', 'failed']);
  });

  it('uploads files, describes them and drops duplicates; marks unknown formats', async () => {
    const { k, fake } = newCase();
    fake.handlers['evidence:describe'] = (r) => ({
      ok: true,
      value: { ref: (r as { path: string }).path, name: 'notes.docx', format: 'unknown', size: 3, records: 0, linkTypes: [], timeInferred: false, warnings: [] },
    });
    await k.attachFiles([new File(['abc'], 'notes.docx')]);
    flushSync();
    expect(k.evidence).toHaveLength(1);
    expect(k.evidence[0].status).toBe('error');
    expect(k.evidence[0].error).toMatch(/format/);
    k.removeEvidence(k.evidence[0].key);
    expect(k.evidence).toEqual([]);
  });

  it('attaches through the native dialog in Electron', async () => {
    const { k, fake } = newCase('electron');
    fake.handlers['dialog:openEvidence'] = () => ({ ok: true, value: { files: [{ ref: '/cases/a.pcap', name: 'a.pcap', size: 10 }, { ref: '/cases/a.pcap', name: 'a.pcap', size: 10 }] } });
    await k.attachPicked();
    expect(k.evidence.map((e) => e.ref?.ref)).toEqual(['/cases/a.pcap']);
    await new Promise((r) => setTimeout(r, 0));
    expect(k.evidence[0].status).toBe('ready');
    k.complaintText = 'x';
    k.complaintFile = 'report.eml';
    await k.start([]);
    expect(fake.callsTo('analysis:start')[0]).toEqual({ complaintText: 'x', complaintName: 'report.eml', evidence: ['/cases/a.pcap'], ourNets: [] });
  });

  it('tracks draft edits against the engine draft', () => {
    const { k } = newCase();
    k.phase = 'running';
    k.jobId = 'j';
    k.applyResult(loadResult('seed001-synflood-backscatter'));
    expect(k.draftEdited).toBe(false);
    k.body += '\nPS';
    expect(k.draftEdited).toBe(true);
    k.resetDraft();
    expect(k.draftEdited).toBe(false);
  });
});
