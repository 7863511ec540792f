import { describe, expect, it } from 'vitest';
import { sanitizeFileName } from '../../../host/serve/uploads';

describe('upload names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\x\\cap.pcap', 'cap.pcap'],
    ['.hidden', 'hidden'],
    ['', 'evidence'],
    ['..', 'evidence'],
    ['con.txt', 'evidence-con.txt'],
    ['a\u0000b\nc.log', 'a_b_c.log'],
    ['x'.repeat(300), 'x'.repeat(120)],
  ])('%j -> %j', (input, out) => {
    expect(sanitizeFileName(input)).toBe(out);
  });
});
