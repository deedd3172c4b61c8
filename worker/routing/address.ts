/**
 * Whether a URL host names a loopback, private, link-local or otherwise non-public address, which
 * the runtime must not reach on anyone's behalf unless its operator allowed it
 * (`AGTEST_PRIVATE_EGRESS`). The WHATWG URL parser has already turned `2130706433`, `0x7f.1` and
 * `127.1` into dotted IPv4, and IPv6 into its compressed form in brackets.
 *
 * Host names are judged by name only (`localhost`, `*.localhost`, `*.internal`, `*.local`): the
 * runtime cannot resolve DNS before `fetch`, so a public name pointing at a private address is a
 * known limit (SECURITY.md); at the edge, Workers' `fetch` cannot reach private networks anyway.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) return isPrivateIpv6(host.slice(1, -1));
  const v4 = ipv4(host);
  if (v4) return isPrivateIpv4(v4);
  return host === "localhost" || /\.(localhost|local|internal|home\.arpa)$/.test(host) || !host.includes(".");
}

function ipv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

function isPrivateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local (cloud metadata services)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

function isPrivateIpv6(host: string): boolean {
  if (host === "::" || host === "::1") return true;
  // IPv4-mapped and -translated (::ffff:7f00:1, ::ffff:127.0.0.1): judge the IPv4 inside.
  const mapped = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const hi = Number.parseInt(mapped[1] ?? "0", 16);
    const lo = Number.parseInt(mapped[2] ?? "0", 16);
    return isPrivateIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (dotted) return isPrivateIpv4(ipv4(dotted[1] ?? "") ?? [0]);
  const first = Number.parseInt(host.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    host.startsWith("64:ff9b:") || // NAT64 (embeds IPv4)
    host.startsWith("::") // other embedded/compat forms
  );
}
