import { describe, expect, it } from 'vitest';
import { renderCase, renderCaseTable, renderHostHistory } from '../../../cli/commands/cases-render';
import { useTempStore } from '../../store/store-fixture';

describe('cases as text', () => {
  const t = useTempStore();

  it('a table of stored cases, one printable line each, and "No cases." for none', async () => {
    await t.addCase({ accused: ['198.51.100.80'], reporter: 'abuse@example.net', subject: 'Scan \u001b[31mred\u001b[0m from your network', verdict: 'backscatter' });
    const page = await t.store.listCases();
    const table = renderCaseTable(page.items);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id +received \(UTC\) +status +verdict +accused +reporter +subject$/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/backscatter \d+% +198\.51\.100\.80 +abuse@example\.net/);
    expect(table).not.toContain('\u001b');
    expect(renderCaseTable([])).toBe('No cases.\n');
  });

  it('a case as Markdown with its heading, and a host\'s history', async () => {
    const id = await t.addCase({ accused: ['198.51.100.80'], subject: 'Port scan', verdict: 'compromise' });
    const md = renderCase(await t.store.getCase(id), await t.store.relatedCases(id));
    expect(md.split('\n')[0]).toBe(`# Case ${id}: Port scan`);
    expect(md).not.toContain('CHAIN OF CUSTODY BROKEN');
    const h = renderHostHistory(await t.store.hostHistory('198.51.100.80'));
    expect(h).toContain('198.51.100.80');
    expect(h).toContain(String(id));
  });
});
