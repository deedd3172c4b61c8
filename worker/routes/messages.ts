import { Hono } from "hono";
import {
  type AclMessage,
  MAX_MESSAGE_BYTES,
  type RoutableMessage,
  isAgentName,
  newMessageId,
  parseRoutableText,
  receiversOf,
} from "../../protocol/index.js";
import type { Env } from "../env.js";
import { ApiError, type Result, unwrap } from "../errors.js";
import type { Delivery } from "../host/index.js";
import { MAX_LIMITS } from "../limits.js";
import { readBody } from "../upload.js";
import { hostOf } from "./agents.js";

/** The longest `?wait=` a caller may ask for. */
export const MAX_WAIT_MS = 30_000;

function parseWait(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const wait = Number(raw);
  if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_MS) {
    throw new ApiError(400, "INVALID_REQUEST", `wait must be an integer number of milliseconds from 0 to ${MAX_WAIT_MS}, got \`${raw}\``);
  }
  return wait;
}

/** Reads and validates a message body, assigning `message_id` and `conversation_id` when missing. */
async function readMessage(request: Request): Promise<RoutableMessage> {
  const body = await readBody(request, MAX_LIMITS.message_bytes);
  const parsed = parseRoutableText(new TextDecoder().decode(body));
  if (!parsed.ok) throw new ApiError(400, "INVALID_MESSAGE", parsed.error.message);
  const message = parsed.message;
  message.message_id ??= newMessageId();
  message.conversation_id ??= `c-${crypto.randomUUID()}`;
  return message;
}

/** Delivers a message to every receiver (multicast) and gathers what they emitted. */
async function deliverAll(env: Env, message: RoutableMessage): Promise<Delivery[]> {
  const receivers = receiversOf(message);
  const external = receivers.find((r) => !isAgentName(r));
  if (external) {
    throw new ApiError(400, "INVALID_MESSAGE", `receiver \`${external}\` is not a hosted agent; external receivers are not routed yet`);
  }
  return Promise.all(
    receivers.map(async (name) => {
      // The stub's RPC type of a loose JSON message is too deep for tsc; the DO method's own type is exact.
      const result = (await hostOf(env, name).deliver(message)) as Result<Delivery>;
      if (!result.ok && result.code === "AGENT_NOT_FOUND") {
        throw new ApiError(404, "AGENT_NOT_FOUND", `no agent named \`${name}\``);
      }
      return unwrap(result);
    }),
  );
}

/** The first reply in the message's conversation. */
function firstReply(message: RoutableMessage, deliveries: Delivery[]): AclMessage | undefined {
  const replies = deliveries.flatMap((d) => d.replies);
  return (
    replies.find((r) => message.reply_with != null && r.in_reply_to === message.reply_with) ??
    replies.find((r) => r.conversation_id === message.conversation_id)
  );
}

/** `/v1/messages`: route a message to hosted agents; `?wait=MS` answers with the first reply. */
export const messages = new Hono<{ Bindings: Env }>().post("/", async (c) => {
  const wait = parseWait(c.req.query("wait"));
  const message = await readMessage(c.req.raw);
  const accepted = { message_id: message.message_id, conversation_id: message.conversation_id };
  const delivery = deliverAll(c.env, message);
  if (wait === null) {
    // Delivery errors (unknown receiver, stopped agent) are still the caller's to hear about.
    await delivery;
    return c.json(accepted, 202);
  }
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), wait);
  });
  const deliveries = await Promise.race([delivery, timeout]);
  clearTimeout(timer);
  if (deliveries === null) {
    c.executionCtx.waitUntil(delivery.catch(() => undefined));
    return c.json(accepted, 202);
  }
  const reply = firstReply(message, deliveries);
  return reply ? c.json(reply, 200) : c.json(accepted, 202);
});
