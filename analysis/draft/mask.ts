import { inCidrs, isAddress } from '../util/net';

/**
 * Third parties' addresses (other customers, other flood victims whose
 * addresses were forged) are not the complainant's business: the reply
 * shows them masked, keeping the network part so the pattern stays readable.
 */
const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
/** Candidate IPv6 tokens; each is confirmed with a real parser (a MAC address also has colons). */
const IPV6_CANDIDATE = /(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])/gi;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;

export function maskIpv4(addr: string): string {
  const p = addr.split('.');
  return `${p[0]}.${p[1]}.x.x`;
}

export function maskIpv6(addr: string): string {
  const groups = addr.split(':').filter((g) => g !== '');
  return `${groups.slice(0, 3).join(':')}:x:x`;
}

/** The networks around the addresses to keep: the complainant's own /24 (IPv4) or /64 (IPv6) is theirs to see. */
function keptNetworks(keep: Iterable<string>): string[] {
  const nets: string[] = [];
  for (const a of keep) {
    if (!isAddress(a)) continue;
    if (a.includes(':')) nets.push(`${a}/64`);
    else nets.push(`${a.split('.').slice(0, 3).join('.')}.0/24`);
  }
  return nets;
}

/** Mask every address in `text` that is neither in `keep` nor in the same /24 (/64) as one of them. */
export function maskThirdParties(text: string, keep: Iterable<string>): string {
  const allowed = new Set(keep);
  const nets = keptNetworks(allowed);
  const hidden = (m: string): boolean => !allowed.has(m) && isAddress(m) && !inCidrs(m, nets);
  const v4 = text.replace(IPV4, (m) => (hidden(m) ? maskIpv4(m) : m));
  return v4.replace(IPV6_CANDIDATE, (m) => (!MAC.test(m) && m.includes(':') && hidden(m) ? maskIpv6(m) : m));
}
