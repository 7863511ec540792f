import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import LayerList from '../../../../renderer/components/packet/LayerList.svelte';
import { realPacketView } from './real-packet';

describe('the decoded headers of a packet', () => {
  it('each layer of the zeek GET with its byte range and fields; pointing at a field marks its bytes, leaving unmarks', async () => {
    const v = await realPacketView(4);
    const marks: Array<{ offset: number; length: number } | null> = [];
    render(LayerList, { props: { layers: v.layers, onmark: (r: { offset: number; length: number } | null) => marks.push(r) } });
    expect([...document.querySelectorAll('summary .name')].map((e) => e.textContent)).toEqual(['Ethernet II', 'IPv4', 'TCP']);
    const tcpTable = [...document.querySelectorAll('details')][2];
    const flags = [...tcpTable.querySelectorAll('tr')].find((tr) => tr.querySelector('th')!.textContent === 'Flags')!;
    expect(flags.textContent).toContain('0x018 (PSH, ACK)');
    await fireEvent.mouseEnter(flags);
    await fireEvent.mouseLeave(flags);
    const f = v.layers[2].fields.find((x) => x.name === 'Flags')!;
    expect(marks).toEqual([{ name: 'Flags', value: f.value, offset: f.offset, length: f.length }, null]);
  });

  it('says so when no header of the link type is decoded', () => {
    render(LayerList, { props: { layers: [], onmark: () => undefined } });
    expect(screen.getByText(/No header of this link type is decoded/)).toBeTruthy();
  });
});
