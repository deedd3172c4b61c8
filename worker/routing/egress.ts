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
    const [pattern = "", port] = entry.toLowerCase().split(":");
    if (port !== undefined && port !== (parsed.port || (parsed.protocol === "https:" ? "443" : "80"))) return false;
    return pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern;
  });
}

/** How long the runtime waits for an external agent to take a message. */
const EGRESS_TIMEOUT_MS = 10_000;

/**
 * POSTs a message to an external agent. Returns the messages the agent answered in the response
 * body (synchronous HTTP agents), or the reason it could not be delivered.
 */
export async function post(url: string, message: unknown): Promise<{ ok: true; answers: unknown[] } | { ok: false; reason: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      redirect: "manual",
      signal: AbortSignal.timeout(EGRESS_TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, reason: `POST ${url} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!res.ok) return { ok: false, reason: `POST ${url} answered ${res.status}` };
  if (!(res.headers.get("content-type") ?? "").includes("json")) return { ok: true, answers: [] };
  try {
    const body: unknown = await res.json();
    return { ok: true, answers: Array.isArray(body) ? body : body && typeof body === "object" && "performative" in body ? [body] : [] };
  } catch {
    return { ok: true, answers: [] };
  }
}
