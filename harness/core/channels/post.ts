import type { Delivery } from "../channel.js";
import { AgentUnreachable } from "../errors.js";
import { inboundFromValue, type Inbox } from "../inbox.js";

/** Options of {@link postMessage}. */
export type PostOptions = {
  /** Where messages in the response body go. */
  inbox: Inbox;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Called for statuses that mean the target itself is unusable (e.g. 401: bad token). */
  fatal?: (status: number) => boolean;
  /** Send `message`, a string, as the body as it is (tests of malformed bodies), not as JSON. */
  raw?: boolean;
};

/**
 * POSTs a message as JSON. A response body holding a message (or an array of them) is an
 * answer: each goes to the inbox. 2xx -> sent; other statuses -> refused with the reason the
 * target gave; no connection -> {@link AgentUnreachable}.
 */
export async function postMessage(
  url: string,
  message: unknown,
  options: PostOptions,
): Promise<{ delivery: Delivery; status: number }> {
  const { inbox, headers = {}, fetch: fetcher = fetch, fatal, raw = false } = options;
  const body = raw && typeof message === "string" ? message : JSON.stringify(message);
  let res: Response;
  try {
    // A message with a message_id is safe to send again: its receiver drops the duplicate. So is
    // a raw body (a test's deliberate garbage): it is refused however often it arrives.
    const init = { method: "POST", headers: { "content-type": "application/json", ...headers }, body };
    res = hasMessageId(message) || raw ? await retrying(fetcher, url, init) : await fetcher(url, init);
  } catch (error) {
    throw new AgentUnreachable(`cannot reach ${url}: ${causeOf(error)}`);
  }
  const text = await res.text().catch(() => "");
  const answer = parseJson(text);
  if (!res.ok) {
    const reason = `HTTP ${res.status}: ${errorMessage(answer) ?? (text.slice(0, 300) || res.statusText)}`;
    if (fatal?.(res.status)) throw new AgentUnreachable(`${url} answered ${reason}`);
    return { delivery: { status: "refused", reason, httpStatus: res.status }, status: res.status };
  }
  for (const value of Array.isArray(answer) ? answer : [answer]) {
    // An acknowledgement (`{"message_id": ...}`) is not a message; anything with a performative is.
    if (value !== null && typeof value === "object" && "performative" in value)
      inbox.push(inboundFromValue(value, url));
  }
  return { delivery: { status: "sent" }, status: res.status };
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** The runtime's `{"error": {"message"}}`, when the body is one. */
export function errorMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== "object" || !("error" in body)) return undefined;
  const error: unknown = body.error;
  if (error !== null && typeof error === "object" && "message" in error && typeof error.message === "string") {
    const code = "code" in error && typeof error.code === "string" ? `${error.code} ` : "";
    return `${code}${error.message}`;
  }
  return typeof error === "string" ? error : undefined;
}

/** A network error's root cause (`ECONNREFUSED`), which `fetch` hides under "fetch failed". */
export function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) return `${error.message} (${"code" in cause ? String(cause.code) : cause.message})`;
  return error.message;
}

function hasMessageId(message: unknown): boolean {
  return (
    message !== null &&
    typeof message === "object" &&
    "message_id" in message &&
    typeof message.message_id === "string" &&
    message.message_id !== ""
  );
}

/** Delays before the second, third and fourth attempt of an idempotent request. */
const RETRY_DELAYS_MS = [50, 250, 1_000];

/**
 * `fetch` for an idempotent request (a GET, a message carrying its `message_id`): a connection
 * that breaks before an answer (a keep-alive socket the server had just closed, a reset) or a 503
 * is tried again, three times at most. Anything else, the caller judges.
 */
export async function retrying(fetcher: typeof fetch, url: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const delay = RETRY_DELAYS_MS[attempt];
    try {
      const res = await fetcher(url, init);
      if (res.status !== 503 || delay === undefined) return res;
      await res.body?.cancel().catch(() => undefined);
    } catch (error) {
      if (delay === undefined || init.signal?.aborted) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
