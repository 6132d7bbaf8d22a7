import { embeddedIpv4, parseIpv4, parseIpv6, type IpBytes } from "./ip-address.ts";

export interface Cidr {
  network: IpBytes;
  prefix: number;
  text: string;
}

/** `10.0.0.0/8`, `fd00::/8`, or a bare address (a /32 or /128). Throws on anything else. */
export function parseCidr(text: string): Cidr {
  const [addr, prefixText] = text.trim().split("/");
  // Only plain dotted IPv4 here: a config entry like `10/8` is too easy to misread.
  const network = addr.includes(":") ? parseIpv6(addr) : /^\d{1,3}(\.\d{1,3}){3}$/.test(addr) ? parseIpv4(addr) : null;
  if (!network) throw new Error(`'${text}' is not an IP address or CIDR range (expected e.g. 100.64.0.0/10 or fd00::/8)`);
  const max = network.length * 8;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`'${text}' has an invalid prefix length (0–${max})`);
  return { network, prefix, text };
}

export function ipInCidr(ip: IpBytes, cidr: Cidr): boolean {
  if (ip.length !== cidr.network.length) {
    // An IPv4-mapped IPv6 address matches IPv4 ranges.
    const v4 = embeddedIpv4(ip);
    return v4 !== null && cidr.network.length === 4 && ipInCidr(v4, cidr);
  }
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i] & mask) !== (cidr.network[i] & mask)) return false;
  }
  return true;
}

/** Parses a list of CIDRs, skipping (and reporting) invalid entries rather than failing every fetch. */
export function parseCidrList(list: readonly string[]): { ranges: Cidr[]; invalid: string[] } {
  const ranges: Cidr[] = [];
  const invalid: string[] = [];
  for (const entry of list) {
    try {
      ranges.push(parseCidr(entry));
    } catch {
      invalid.push(entry);
    }
  }
  return { ranges, invalid };
}
