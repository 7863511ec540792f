import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import EvidenceTable from '../../../renderer/components/EvidenceTable.svelte';
import { evidenceWhere, formatUtc } from '../../../renderer/lib/format';
import { loadResult } from '../fake-api';

describe('a finding\'s evidence table', () => {
  it('seed001\'s quoted packets: time in UTC, the record, and where it is; no packet opens without a stored case', () => {
    const r = loadResult('seed001-synflood-backscatter');
    const rows = r.findings[0].evidence;
    render(EvidenceTable, { props: { rows, caption: 'Evidence of the flood' } });
    const trs = screen.getAllByTestId('evidence-ref');
    expect(trs).toHaveLength(rows.length);
    trs.forEach((tr, i) => {
      const tds = tr.querySelectorAll('td');
      expect(tds[0].textContent).toBe(formatUtc(rows[i].ts));
      expect(tds[2].textContent!.trim()).toBe(evidenceWhere(rows[i]));
    });
    expect(screen.queryByTestId('open-packet')).toBeNull();
    expect(document.querySelector('caption')!.textContent).toBe('Evidence of the flood');
  });
});
