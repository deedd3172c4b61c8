import { Hono } from "hono";
import { type AclMessage, type RoutableMessage, isAgentUrl, newMessageId, receiversOf } from "../../protocol/index.js";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { parseRoutableChecked } from "../json.js";
import { MAX_LIMITS, RUNTIME_LIMITS } from "../limits.js";
import { HOPS_HEADER } from "../routing/egress.js";
import { MAX_HOPS, type Refusal, route } from "../routing/index.js";
import { readBody } from "../body.js";
import { conversationOf } from "../stubs.js";

/** The longest `?wait=` a caller may ask for. */
export const MAX_WAIT_MS = 30_000;

/** Parses `?wait=`: null when absent. */
export function parseWait(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const wait = Number(raw);
  if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_MS) {
    throw new ApiError(
      "INVALID_REQUEST",
      `wait must be an integer number of milliseconds from 0 to ${MAX_WAIT_MS}, got \`${raw}\``,
    );
  }
  return wait;
}

/**
 * The hop count a request says its message has travelled (`x-agtest-hops`, which the runtime
 * sends on every egress POST, to itself included): 0 when absent. A client can only raise it,
 * which only shortens its own message's life; the cap keeps it a small integer.
 */
export function hopsOf(request: Request): number {
  const hops = Number(request.headers.get(HOPS_HEADER) ?? 0);
  return Number.isInteger(hops) && hops > 0 ? Math.min(hops, MAX_HOPS) : 0;
}

/**
 * Reads and validates a message body, assigning `message_id` and `conversation_id` when missing.
 * A message names at most {@link RUNTIME_LIMITS.http_receivers} receivers and at most one URL to
 * reply to: one request must not become many outbound POSTs.
 */
export async function readMessage(request: Request): Promise<RoutableMessage> {
  const body = await readBody(request, MAX_LIMITS.message_bytes);
  const parsed = parseRoutableChecked(new TextDecoder().decode(body));
  if (!parsed.ok) throw new ApiError("INVALID_MESSAGE", parsed.error.message);
  const receivers = receiversOf(parsed.message);
  if (receivers.length > RUNTIME_LIMITS.http_receivers) {
    throw new ApiError(
      "INVALID_MESSAGE",
      `receiver: ${receivers.length} receivers; a message posted over HTTP names at most ${RUNTIME_LIMITS.http_receivers}`,
    );
  }
  const replyUrls = receiversOf({ receiver: parsed.message.reply_to }).filter((address) => isAgentUrl(address));
  if (replyUrls.length > 1)
    throw new ApiError(
      "INVALID_MESSAGE",
      `reply_to: ${replyUrls.length} URLs; a message names at most one URL to reply to`,
    );
  // `x_agtest_origin` is the runtime's own mark: nobody outside may pass for it.
  const { x_agtest_origin: _forged, ...message } = parsed.message;
  message.message_id ??= newMessageId();
  message.conversation_id ??= `c-${crypto.randomUUID()}`;
  return message as RoutableMessage;
}

/**
 * Answers a receiver's refusal over HTTP: `413 PAYLOAD_TOO_LARGE` for a message larger than the
 * receiver takes, else `429 RATE_LIMITED` with `Retry-After` (whole seconds). Receivers of a
 * multicast that took the message keep it; retrying with the same `message_id` is safe, as they
 * drop the duplicate.
 */
function refuseIfRefused(message: RoutableMessage, refused: Refusal[]): void {
  const tooLarge = refused.find((r) => r.status === 413);
  if (tooLarge) throw new ApiError("PAYLOAD_TOO_LARGE", tooLarge.reason);
  const limited = refused.flatMap((r) => (r.status === 429 ? [r] : []));
  if (limited.length === 0) return;
  const retryMs = Math.max(...limited.map((r) => r.retry_after_ms));
  const names = limited.map((r) => `\`${r.receiver}\``).join(", ");
  throw new ApiError(
    "RATE_LIMITED",
    `${limited[0]?.reason ?? "rate limited"}${limited.length > 1 ? ` (also ${names})` : ""}; message ${String(message.message_id)} was not delivered to ${names}: retry it with the same message_id`,
    { "retry-after": String(Math.max(1, Math.ceil(retryMs / 1000))) },
  );
}

/**
 * Accepts a message from outside the runtime: it is routed (written to every hosted receiver's
 * mailbox) before this returns. With `wait`, returns the first later message of the conversation
 * addressed back to the sender (its `reply_to`, else `sender`), or null when none came in time.
 */
export async function acceptExternal(
  env: Env,
  message: RoutableMessage,
  wait: number | null,
  hops = 0,
): Promise<AclMessage | null> {
  const logged = await route(env, message, { origin: "external", hops, egress: [], refuse: true });
  if (logged.full !== null)
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `conversation ${String(message.conversation_id)} refused the message: ${logged.full}`,
    );
  refuseIfRefused(message, logged.refused);
  if (wait === null) return null;
  const replyAddress = receiversOf({ receiver: message.reply_to })[0] ?? message.sender;
  const reply = await conversationOf(env, String(message.conversation_id)).waitFor(replyAddress, logged.seq, wait);
  return reply?.message ?? null;
}

/** `/v1/messages`: route a message; `?wait=MS` answers with the first reply. */
export const messages = new Hono<{ Bindings: Env }>().post("/", async (c) => {
  const wait = parseWait(c.req.query("wait"));
  const message = await readMessage(c.req.raw);
  const reply = await acceptExternal(c.env, message, wait, hopsOf(c.req.raw));
  if (reply) return c.json(reply, 200);
  return c.json({ message_id: message.message_id, conversation_id: message.conversation_id }, 202);
});

/**
 * `POST /v1/agents/:name/inbox`: a hosted agent's public HTTP transport. External agents post
 * messages addressed to it; replies come in the response with `?wait=MS`, and are POSTed to their
 * `reply_to`/`sender` URL only if that URL is on the agent's own egress allowlist (anyone can
 * write a URL into a message: it is never a permission).
 */
export const inbox = new Hono<{ Bindings: Env }>().post("/:name/inbox", async (c) => {
  const name = c.req.param("name");
  const wait = parseWait(c.req.query("wait"));
  const message = await readMessage(c.req.raw);
  // An external agent may address the agent by name or by this very URL (what a runtime POSTing
  // to it writes in `receiver`).
  const self = `${new URL(c.req.url).origin}/v1/agents/${name}/inbox`;
  if (!receiversOf(message).some((r) => r === name || r === self)) {
    throw new ApiError(
      "INVALID_MESSAGE",
      `receiver: a message posted to ${name}'s inbox must name \`${name}\` (or this inbox's URL) among its receivers`,
    );
  }
  const reply = await acceptExternal(c.env, { ...message, receiver: name }, wait, hopsOf(c.req.raw));
  if (reply) return c.json(reply, 200);
  return c.json({ message_id: message.message_id, conversation_id: message.conversation_id }, 202);
});
