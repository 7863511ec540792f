/**
 * An IPv4 address in dotted-decimal as its 32-bit value, or -1 for anything
 * else. Only the canonical spelling (no leading zeros) is taken, so that the
 * value gives back the very string it came from.
 */
export function ipv4Value(s: string): number {
  let v = 0, part = 0, dots = 0, digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      v = v * 256 + part; part = 0; digits = 0; dots++;
    } else if (c >= 48 && c <= 57 && digits < 3 && !(digits === 1 && part === 0)) { part = part * 10 + c - 48; digits++; } else return -1;
  }
  return dots === 3 && digits > 0 && part <= 255 ? v * 256 + part : -1;
}
