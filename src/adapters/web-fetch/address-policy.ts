/**
 * Which IP addresses a user-given URL may reach: public unicast only. Loopback, private, link-local
 * (cloud metadata 169.254.169.254 included), carrier-grade NAT, multicast, broadcast, unspecified,
 * unique-local and the IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4, Teredo) are refused,
 * unless an allow-list (CIDRs from configuration) names them. IPv4-mapped IPv6 is judged as its IPv4.
 *
 * @example
 *   const policy = addressPolicy(['127.0.0.1/32']);
 *   policy.allows('127.0.0.1'); // true; policy.allows('10.0.0.1'); // false
 */
import ipaddr from 'ipaddr.js';
import { NsError } from '../../core/errors.js';

export interface AddressPolicy {
  /** Why the address is refused, or null when it may be reached. */
  refusal(ip: string): string | null;
  allows(ip: string): boolean;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export function parseAllowList(entries: readonly string[]): Cidr[] {
  return entries.map((e) => {
    const text = e.includes('/') ? e : `${e}/${e.includes(':') ? 128 : 32}`;
    if (!ipaddr.isValidCIDR(text)) {
      throw new NsError('FETCH_ALLOW_INVALID', `"${e}" in the fetch allow-list is not an IP address or CIDR range.`, { kind: 'config', hint: 'Set NS_FETCH_ALLOW to comma-separated CIDRs, e.g. 127.0.0.1/32.' });
    }
    return ipaddr.parseCIDR(text);
  });
}

export function addressPolicy(allow: readonly string[] = []): AddressPolicy {
  const allowed = parseAllowList(allow);
  const refusal = (ip: string): string | null => {
    if (!ipaddr.isValid(ip)) return `"${ip}" is not an IP address`;
    const addr = ipaddr.process(ip);
    for (const [range, bits] of allowed) if (range.kind() === addr.kind() && addr.match(range, bits)) return null;
    const kind = addr.range();
    return kind === 'unicast' ? null : `${addr.toString()} is a ${kind} address`;
  };
  return { refusal, allows: (ip) => refusal(ip) === null };
}
