import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ConversationTable from '../../../../renderer/components/packet/ConversationTable.svelte';
import { realPacketView } from './real-packet';

describe('the packets of a conversation', () => {
  it('the 9 packets of the zeek GET both ways; the quoted one is current, another one opens by its number', async () => {
    const v = await realPacketView(4);
    const opened: number[] = [];
    render(ConversationTable, { props: { view: v, onopen: (p: number) => opened.push(p) } });
    const rows = screen.getAllByTestId('conversation-row');
    expect(rows).toHaveLength(9);
    expect(rows.map((r) => r.querySelector('.dir')!.textContent)).toEqual(['→', '←', '→', '→', '←', '←', '←', '→', '←']);
    expect(rows[3].getAttribute('aria-current')).toBe('true');
    expect(rows[3].querySelector('button')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Open packet 6' }));
    expect(opened).toEqual([6]);
    expect(document.body.textContent).toContain('9 packets in the file');
  });
});
