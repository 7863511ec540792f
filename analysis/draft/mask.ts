/**
 * Third parties' addresses (other customers, other flood victims whose
 * addresses were forged) are not the complainant's business: the reply
 * shows them masked, keeping the network part so the pattern stays readable.
 */
const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*\b|\b(?:[0-9a-f]{1,4}:)+:(?:[0-9a-f]{1,4}:?)*\b/gi;

export function maskIpv4(addr: string): string {
  const p = addr.split('.');
  return `${p[0]}.${p[1]}.x.x`;
}

export function maskIpv6(addr: string): string {
  const groups = addr.split(':').filter((g) => g !== '');
  return `${groups.slice(0, 3).join(':')}:x:x`;
}

/** Mask every address in `text` that is not in `keep`. */
export function maskThirdParties(text: string, keep: Iterable<string>): string {
  const allowed = new Set(keep);
  const v4 = text.replace(IPV4, (m) => (allowed.has(m) || !validV4(m) ? m : maskIpv4(m)));
  return v4.replace(IPV6, (m) => (allowed.has(m) || !m.includes('::') && m.split(':').length < 4 ? m : maskIpv6(m)));
}

function validV4(m: string): boolean {
  return m.split('.').every((o) => Number(o) <= 255);
}
