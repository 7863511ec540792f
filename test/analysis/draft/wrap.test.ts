import { describe, expect, it } from 'vitest';
import { wrapLine, wrapText } from '../../../analysis/draft/wrap';

describe('wrapText', () => {
  const prose = 'Our analysis confirms that 198.51.100.90 itself originated the traffic you reported (worm or malware activity), and we have isolated it.';

  it('keeps every line within 72 characters and loses no word', () => {
    const out = wrapText(prose);
    const lines = out.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(72);
    expect(out.replace(/\n/g, ' ')).toBe(prose);
  });

  it('continues a list item under its text and an indented record four deeper', () => {
    const item = wrapLine(`- ${prose}`);
    expect(item[0].startsWith('- ')).toBe(true);
    for (const l of item.slice(1)) expect(l.startsWith('  ') && !l.startsWith('   ')).toBe(true);
    const record = wrapLine('  2026-01-12 10:00:00.002000 UTC | 198.51.100.90:770 > 198.51.100.255:36785 udp len 28, ttl 64 | lan-span.pcap packet 2');
    expect(record.length).toBe(2);
    expect(record[1].startsWith('      ')).toBe(true);
    expect(record.join(' ').replace(/ +/g, ' ').trim()).toBe('2026-01-12 10:00:00.002000 UTC | 198.51.100.90:770 > 198.51.100.255:36785 udp len 28, ttl 64 | lan-span.pcap packet 2');
  });

  it('continues a quoted line quoted', () => {
    const lines = wrapLine(`> ${prose}`);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.startsWith('> ')).toBe(true);
  });

  it('never cuts a word longer than the width and keeps the signature separator', () => {
    const url = `https://example.net/${'a'.repeat(90)}`;
    expect(wrapLine(`see ${url} now`)).toEqual(['see', url, 'now']);
    expect(wrapText('Regards\n-- \nDesk')).toBe('Regards\n-- \nDesk');
  });

  it('leaves short lines and blank lines as they are, trailing spaces dropped', () => {
    expect(wrapText('Hello,  \n\nshort line\r\nnext')).toBe('Hello,\n\nshort line\nnext');
  });
});
