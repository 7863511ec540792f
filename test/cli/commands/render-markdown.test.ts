import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../cli/commands/render-markdown';
import { analyzeFiles } from '../../../services/analyze-files';
import { casesDir } from '../../helpers/paths';

describe('the analysis as Markdown', () => {
  it('seed001: verdict and confidence, accused and complainant, each finding with its evidence, the draft, notes', async () => {
    const dir = join(casesDir, 'seed001-synflood-backscatter');
    const r = await analyzeFiles({ complaint: new Uint8Array(readFileSync(join(dir, 'complaint.txt'))), complaintName: 'complaint.txt', evidence: [join(dir, 'www-border.pcap')], ourNets: ['198.51.100.0/24'] });
    const md = renderMarkdown(r);
    expect(md.split('\n')[0]).toBe(`# Verdict: ${r.verdict} (confidence ${Math.round(r.confidence * 100)}%)`);
    expect(md).toContain(`Accused: 198.51.100.80 | complainant side: 192.0.2.66`);
    for (const f of r.findings) expect(md).toContain(`- **${f.id}** (${f.leaning}, ${Math.round(f.strength * 100)}%): ${f.summary}`);
    expect(md).toContain(`(www-border.pcap #${r.findings[0].evidence[0].packet})`);
    expect(md).toContain(`## Reply draft\n\nSubject: ${r.draft.subject}\n\n\`\`\`text\n`);
    expect(md).toContain('## Internal notes');
  });

  it('prints no terminal control characters from a hostile result', async () => {
    const dir = join(casesDir, 'seed003-udp770-compromise');
    const r = await analyzeFiles({ complaint: new TextEncoder().encode('Subject: worm \u001b[31mred\u001b[0m \u202eevil\n\nUDP from 198.51.100.90 port 770.\n'), complaintName: 'c.txt', evidence: [join(dir, 'lan-span.pcap')], ourNets: ['198.51.100.0/24'] });
    const md = renderMarkdown(r);
    expect(md).not.toMatch(/[\u001b\u202e]/);
  });
});
