/**
 * Address and CIDR syntax checks for the contract's schemas. Pure (no
 * node:net) because the contract is also bundled into the preload and the
 * browser client.
 */

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && (p === '0' || !p.startsWith('0')));
}

export function isIPv6(s: string): boolean {
  if (s.length > 45 || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  let groups = 8;
  let body = s;
  // An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups.
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    if (!isIPv4(s.slice(lastColon + 1))) return false;
    body = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const hex = (part: string): string[] | undefined => {
    if (part === '') return [];
    const g = part.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = hex(halves[0]);
  if (!head) return false;
  if (halves.length === 1) return head.length === groups;
  const tail = hex(halves[1]);
  if (!tail) return false;
  groups -= 1; // "::" stands for at least one zero group
  return head.length + tail.length <= groups;
}

/** An address or CIDR block ("198.51.100.0/24", "2001:db8::/32", "198.51.100.7"). */
export function isAddressOrCidr(s: string): boolean {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const prefix = slash < 0 ? undefined : s.slice(slash + 1);
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return false;
  if (isIPv4(addr)) return prefix === undefined || Number(prefix) <= 32;
  if (isIPv6(addr)) return prefix === undefined || Number(prefix) <= 128;
  return false;
}
