import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortError, Diagnostics, formatWeird, InputError, throwIfAborted } from '../../../analysis/events/diagnostics';
import { ingest } from '../../../analysis/ingest/ingest';
import { fixturesDir } from '../../helpers/paths';

describe('diagnostics', () => {
  it('keeps the first 20 of each code and says how many more there were', () => {
    const d = new Diagnostics();
    for (let i = 0; i < 25; i++) d.weird({ code: 'truncated_record', file: 'a.pcap', offset: i * 100, message: `record ${i}` });
    d.weird({ code: 'bad_magic', file: 'b.log', line: 3, message: 'what' });
    expect(d.weirds).toHaveLength(21);
    expect(d.counts.get('truncated_record')).toBe(25);
    const m = d.messages();
    expect(m[0]).toBe('a.pcap: byte offset 0: record 0');
    expect(m).toContain('b.log: line 3: what');
    expect(m.at(-1)).toBe('5 more truncated_record warnings not shown');
  });

  it('the truncated fixture capture: its reader reports the cut with the file and byte offset, and keeps the records before it', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixturesDir, 'pcap', 'syn-scan-truncated.pcap')));
    const diag = new Diagnostics();
    let records = 0;
    async function* once(): AsyncGenerator<Uint8Array> { yield bytes; }
    await ingest(once(), { file: 'syn-scan-truncated.pcap', diag }, () => { records++; });
    expect(records).toBeGreaterThan(0);
    expect(diag.weirds.length).toBeGreaterThan(0);
    const w = diag.weirds[0];
    expect(w.offset).toBeGreaterThan(0);
    expect(w.offset).toBeLessThan(bytes.length);
    expect(diag.messages()[0]).toBe(`syn-scan-truncated.pcap: byte offset ${w.offset}: ${w.message}`);
  });

  it('formats a weird without a place, and aborts only a fired signal', () => {
    expect(formatWeird({ code: 'x', file: 'f', message: 'm' })).toBe('f: m');
    const ctl = new AbortController();
    expect(() => throwIfAborted(ctl.signal)).not.toThrow();
    expect(() => throwIfAborted(undefined)).not.toThrow();
    ctl.abort();
    expect(() => throwIfAborted(ctl.signal)).toThrow(AbortError);
    const e = new InputError('bad_magic', 'x.pcap', 0, 'not a capture');
    expect([e.name, e.code, e.file, e.offset, e.message]).toEqual(['InputError', 'bad_magic', 'x.pcap', 0, 'not a capture']);
  });
});
