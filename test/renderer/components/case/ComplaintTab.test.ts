import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ComplaintTab from '../../../../renderer/components/case/ComplaintTab.svelte';
import { FakeApi } from '../../fake-api';

describe('the case\'s complaint tab', () => {
  it('shows the complaint as received, as plain text, with its file name', () => {
    const detail = new FakeApi().addCase({ complaintName: 'scan.eml', complaintRaw: 'Subject: scan\n\n<b>bold</b> <script>alert(1)</script>' });
    const { container } = render(ComplaintTab, { props: { detail } });
    expect(container.querySelector('pre')!.textContent).toBe('Subject: scan\n\n<b>bold</b> <script>alert(1)</script>');
    expect(container.querySelector('b, script')).toBeNull();
    expect(container.textContent).toContain('As received (scan.eml)');
  });
});
