import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Snippet from '../../../renderer/components/Snippet.svelte';

describe('a search snippet', () => {
  it('marks what the store put between « and », and shows markup in the complaint as text', () => {
    const { container } = render(Snippet, { props: { text: '…a «portscan» from «198.51.100.80» <img src=x onerror=alert(1)>…' } });
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['portscan', '198.51.100.80']);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe('…a portscan from 198.51.100.80 <img src=x onerror=alert(1)>…');
  });
});
