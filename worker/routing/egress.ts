import { readCapped } from "../body.js";
import { RUNTIME_LIMITS } from "../limits.js";
import { parseJsonText } from "../json.js";
import { isPrivateHost } from "./address.js";

/** Whether a URL's host is on an agent's egress allowlist (`host`, `host:port` or `*.domain`). */
export function egressAllowed(url: string, allowlist: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.toLowerCase();
  return allowlist.some((entry) => {
    if (entry === "*") return true;
    const [pattern = "", port] = entry.toLowerCase().split(":");
    if (port !== undefined && port !== (parsed.port || (parsed.protocol === "https:" ? "443" : "80"))) return false;
    return pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern;
  });
}

/** The operator's list of private hosts the runtime may reach (`AGTEST_PRIVATE_EGRESS`, comma-separated; `*` for any). */
export function privateEgressOf(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * Why the runtime will not POST to `url` for an agent with this allowlist, or null when it may:
 * the host must be on the agent's allowlist, and a loopback, private or link-local host also on
 * the operator's `AGTEST_PRIVATE_EGRESS` (the embedded test runtime allows its own host there).
 */
export function egressRefusal(
  url: string,
  allowlist: readonly string[],
  privateEgress: readonly string[],
  sender: string,
): string | null {
  const host = new URL(url).host;
  if (!egressAllowed(url, allowlist)) return `egress to ${host} is not on ${sender}'s allowlist`;
  if (isPrivateHost(new URL(url).hostname) && !egressAllowed(url, privateEgress)) {
    return `egress to ${host} refused: a loopback, private or link-local address (allowed only by the runtime's AGTEST_PRIVATE_EGRESS)`;
  }
  return null;
}

/** How long the runtime waits for an external agent to take a message. */
const EGRESS_TIMEOUT_MS = 10_000;

/** The header that carries a message's hop count from one runtime (or a runtime to itself) to the next. */
export const HOPS_HEADER = "x-agtest-hops";

/** What an external agent answered in its response body: messages to vet, or why none are read. */
export type Answers = { ok: true; answers: unknown[]; refused: string | null } | { ok: false; reason: string };

/**
 * POSTs a message to an external agent, telling it the hop count. Returns the messages it
 * answered in the response body (synchronous HTTP agents), read up to
 * {@link RUNTIME_LIMITS.egress_response_bytes}; the caller decides which of them to accept.
 */
export async function post(url: string, message: unknown, hops: number): Promise<Answers> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [HOPS_HEADER]: String(hops) },
      body: JSON.stringify(message),
      redirect: "manual",
      signal: AbortSignal.timeout(EGRESS_TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, reason: `POST ${url} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!res.ok) {
    await res.body?.cancel();
    return { ok: false, reason: `POST ${url} answered ${res.status}` };
  }
  if (!(res.headers.get("content-type") ?? "").includes("json")) {
    await res.body?.cancel();
    return { ok: true, answers: [], refused: null };
  }
  const bytes = await readCapped(res, RUNTIME_LIMITS.egress_response_bytes);
  if (bytes === null)
    return {
      ok: true,
      answers: [],
      refused: `the response of ${url} exceeds ${RUNTIME_LIMITS.egress_response_bytes} bytes: not read`,
    };
  const body = parseJsonText(new TextDecoder().decode(bytes));
  if (!body.ok) return { ok: true, answers: [], refused: `the response of ${url} is ${body.reason}` };
  const value = body.value;
  return {
    ok: true,
    answers: Array.isArray(value)
      ? value
      : value && typeof value === "object" && "performative" in value
        ? [value]
        : [],
    refused: null,
  };
}
