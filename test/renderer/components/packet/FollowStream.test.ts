import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import FollowStream from '../../../../renderer/components/packet/FollowStream.svelte';
import { realPacketView } from './real-packet';

describe('following the TCP stream', () => {
  it('the zeek capture: the client\'s GET, then the server\'s SSH banner, each said as from its side, as tshark\'s Follow shows', async () => {
    const v = await realPacketView(4);
    render(FollowStream, { props: { view: v } });
    const parts = [...screen.getByTestId('follow-stream').querySelectorAll('pre')];
    expect(parts.map((p) => p.getAttribute('aria-label'))).toEqual(['605 bytes from 136.216.42.40, packet 4', '21 bytes from 130.74.164.231, packet 6']);
    expect(parts[0].textContent!.startsWith('GET / HTTP/1.1')).toBe(true);
    expect(parts[1].textContent).toBe('SSH-2.0-OpenSSH_8.7\r\n');
    expect(document.body.textContent).toContain('626 bytes of payload');
  });
});
