import { ipInCidr, parseCidr, type Cidr } from "./cidr.ts";
import { embeddedIpv4, type IpBytes } from "./ip-address.ts";

/**
 * Address ranges no web request may reach: nanobot's list (private, loopback, link-local incl. cloud
 * metadata 169.254.169.254, CGNAT, unspecified) plus multicast/reserved ranges that have no public use.
 */
const BLOCKED_RANGES: Cidr[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/128",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
  "fec0::/10",
  "ff00::/8",
].map(parseCidr);

/** Hostnames that name the machine itself, an internal zone, or a cloud metadata service. */
const BLOCKED_SUFFIXES = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa"];
const BLOCKED_NAMES = new Set([
  "localhost",
  "localhost.localdomain",
  "metadata",
  "metadata.goog",
  "metadata.google.internal",
  "instance-data",
  "metadata.azure.com",
  "metadata.tencentyun.com",
  "ip6-localhost",
  "ip6-loopback",
]);

export function isBlockedIp(ip: IpBytes): boolean {
  const v4 = embeddedIpv4(ip);
  if (v4 && BLOCKED_RANGES.some((range) => ipInCidr(v4, range))) return true;
  return BLOCKED_RANGES.some((range) => ipInCidr(ip, range));
}

/** True for names that must never be fetched whatever DNS says. Expects a lower-case name without a trailing dot. */
export function isBlockedHostname(host: string): boolean {
  return BLOCKED_NAMES.has(host) || BLOCKED_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** Names that mean loopback, so a whitelisted 127.0.0.1/32 also lets `localhost` through. */
export function loopbackAddressesFor(host: string): IpBytes[] | null {
  if (host === "localhost" || host.endsWith(".localhost")) return [new Uint8Array([127, 0, 0, 1])];
  if (host === "ip6-localhost" || host === "ip6-loopback") return [Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 1 : 0))];
  return null;
}
