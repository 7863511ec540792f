import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../analysis/complaint/html';

describe('htmlToText', () => {
  it('drops script/style content, tags and comments; decodes entities once', () => {
    expect(htmlToText('<p>a&amp;b</p><script>x<y</script><style>p{}</style><!-- c --><br>d &#x41;&#66;')).toBe('a&b\n\nd AB');
    expect(htmlToText('<scr<script>ipt>alert(1)</script>')).not.toMatch(/<script/i);
    expect(htmlToText('unclosed <script> everything after is gone')).toBe('unclosed');
    expect(htmlToText('1 < 2 and <b title="a>b">bold</b>')).toBe('1 < 2 and bold');
  });
});
