import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import HexDump from '../../../../renderer/components/packet/HexDump.svelte';
import { realPacketView } from './real-packet';

describe('the hex dump of a packet', () => {
  it('the GET of the zeek capture: 16 bytes a row with their offset, the ASCII beside, a field\'s bytes marked in both', async () => {
    const v = await realPacketView(4);
    const tcp = v.layers.find((l) => l.name === 'TCP')!;
    const { container } = render(HexDump, { props: { hex: v.hex, mark: { offset: tcp.offset, length: tcp.length } } });
    const rows = container.querySelectorAll('.row');
    expect(rows.length).toBe(Math.ceil(v.capturedLength / 16));
    expect(rows[1].querySelector('.off')!.textContent).toBe('0010');
    expect(rows[0].querySelector('.bytes')!.textContent).toBe(v.hex.slice(0, 32));
    expect(container.querySelectorAll('.bytes .m').length).toBe(tcp.length);
    expect(container.querySelectorAll('.ascii .m').length).toBe(tcp.length);
    expect(container.textContent).toContain('GET / HTTP/1.1');
  });
});
