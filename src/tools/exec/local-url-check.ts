/**
 * The exec guard's default URL check when no SSRF guard is injected: refuses URLs whose host is literally
 * local or private (names like `localhost`, private/loopback/link-local IP literals in any spelling the URL
 * parser normalises — `2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`). It does not resolve DNS; the injected
 * guard from src/security does.
 */

const BLOCKED_NAMES = /^(?:localhost|.*\.localhost|.*\.local|.*\.internal|metadata)$/i;

function ipv4Blocked(host: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 0 || a === 10 || a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

function ipv6Blocked(host: string): boolean {
  if (!host.startsWith("[")) return false;
  const ip = host.slice(1, -1).toLowerCase();
  if (ip === "::" || ip === "::1") return true;
  if (/^f[cd][0-9a-f]{2}:/.test(ip) || /^fe[89ab][0-9a-f]:/.test(ip)) return true;
  // IPv4-mapped (::ffff:7f00:1) — the parser rewrites the dotted form into hex groups.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (mapped) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return ipv4Blocked(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return false;
}

export async function checkLocalUrl(url: string): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // not a URL the guard can judge; the command may not even use it
  }
  const host = parsed.hostname;
  if (BLOCKED_NAMES.test(host) || ipv4Blocked(host) || ipv6Blocked(host)) {
    return `Blocked: ${host} is a private/internal address`;
  }
  return null;
}
